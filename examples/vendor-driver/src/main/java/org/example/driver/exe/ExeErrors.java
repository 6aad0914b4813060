package org.example.driver.exe;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/** The errors this driver raises, with libvirt's codes. */
final class ExeErrors {
    private ExeErrors() {
    }

    static VirtException invalidArg(String msg) {
        return new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE, msg);
    }

    static VirtException noDomain(String what) {
        return new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.DOMAIN, what);
    }

    static VirtException invalidOp(String msg) {
        return new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, msg);
    }

    static VirtException failed(String msg, Throwable cause) {
        return new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.NONE, msg, cause);
    }

    static VirtException system(String msg, Throwable cause) {
        return new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.NONE, msg, cause);
    }

    static VirtException unsupported(String msg) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.DOMAIN, msg);
    }
}
