package org.jvirt.driver.xen.internal.xenstore;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * An error reply of xenstored ({@code XS_ERROR}, payload one of xs_wire.h's errno names), as a
 * VirtException of libvirt's xenstore error domain. The errno name is kept for callers that act on it
 * (EAGAIN retries a transaction, ENOENT is "absent").
 */
public final class XenStoreException extends VirtException {
    private static final long serialVersionUID = 1L;
    private final String errno;

    public XenStoreException(String operation, String path, String errno) {
        super(code(errno), ErrorDomain.XENSTORE, "xenstore " + operation + (path == null ? "" : " " + path)
                + " failed: " + errno + describe(errno));
        this.errno = errno;
    }

    /** The errno name xenstored answered, e.g. {@code ENOENT}. */
    public String errno() {
        return errno;
    }

    private static ErrorCode code(String errno) {
        switch (errno) {
            case "EACCES":
            case "EPERM":
                return ErrorCode.ACCESS_DENIED;
            case "EINVAL":
            case "E2BIG":
                return ErrorCode.INVALID_ARG;
            default:
                return ErrorCode.OPERATION_FAILED;
        }
    }

    private static String describe(String errno) {
        switch (errno) {
            case "ENOENT": return " (no such path)";
            case "EACCES": return " (permission denied)";
            case "EEXIST": return " (path exists)";
            case "EAGAIN": return " (transaction conflict, try again)";
            case "EINVAL": return " (invalid argument)";
            case "E2BIG": return " (too big)";
            case "EQUOTA":
            case "ENOSPC": return " (quota exceeded)";
            default: return "";
        }
    }
}
