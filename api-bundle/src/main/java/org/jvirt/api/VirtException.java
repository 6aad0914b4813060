package org.jvirt.api;

/** The one exception every jvirt call throws; it carries a libvirt-numbered {@link VirtError}. */
public class VirtException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final VirtError error;

    public VirtException(VirtError error) {
        super(error.message());
        this.error = error;
    }

    public VirtException(VirtError error, Throwable cause) {
        super(error.message(), cause);
        this.error = error;
    }

    /** An error whose message is libvirt's text for the code, then the detail: "Domain not found: no domain ...". */
    public VirtException(ErrorCode code, ErrorDomain domain, String detail) {
        this(new VirtError(code, domain, ErrorMessages.prefix(code, detail)));
    }

    public VirtException(ErrorCode code, ErrorDomain domain, String detail, Throwable cause) {
        this(new VirtError(code, domain, ErrorMessages.prefix(code, detail)), cause);
    }

    public VirtError error() {
        return error;
    }

    public ErrorCode code() {
        return error.code();
    }

    public ErrorDomain domain() {
        return error.domain();
    }

    /**
     * The refusal every unimplemented driver entry gives: NO_SUPPORT "this function is not supported by the
     * connection driver: virXxx", from the API's error domain as libvirt's ({@link ErrorDomain#ofApi}).
     */
    public static VirtException noSupport(String what) {
        return new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.ofApi(what), what);
    }
}
