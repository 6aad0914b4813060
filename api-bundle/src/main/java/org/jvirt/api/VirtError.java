package org.jvirt.api;

/**
 * One error, with libvirt's fields, so that it crosses the wire unchanged. The code and the error domain
 * are kept as libvirt's numbers, so that a number this build has no constant for survives (its
 * {@link #code()} is then {@link ErrorCode#UNKNOWN}).
 *
 * @param codeNumber   libvirt's virErrorNumber
 * @param domainNumber libvirt's virErrorDomain: where it arose
 * @param level        severity
 * @param message      the full human-readable message
 * @param str1         extra information, as libvirt's str1
 * @param str2         extra information, as libvirt's str2
 * @param str3         extra information, as libvirt's str3
 * @param int1         extra number, as libvirt's int1
 * @param int2         extra number, as libvirt's int2
 * @param domainName   the domain concerned, or null
 * @param networkName  the network concerned, or null
 */
public record VirtError(int codeNumber, int domainNumber, ErrorLevel level, String message,
        String str1, String str2, String str3, int int1, int int2,
        String domainName, String networkName) {

    public VirtError {
        if (level == null) {
            level = ErrorLevel.ERROR;
        }
        if (message == null) {
            message = ErrorMessages.prefix(ErrorCode.fromCode(codeNumber), null);
        }
    }

    public VirtError(ErrorCode code, ErrorDomain domain, ErrorLevel level, String message,
            String str1, String str2, String str3, int int1, int int2, String domainName, String networkName) {
        this(number(code == null ? ErrorCode.INTERNAL_ERROR : code),
                domain == null ? ErrorDomain.NONE.code() : numberOf(domain), level, message, str1, str2, str3,
                int1, int2, domainName, networkName);
    }

    public VirtError(ErrorCode code, ErrorDomain domain, String message) {
        this(code, domain, ErrorLevel.ERROR, message, null, null, null, 0, 0, null, null);
    }

    private static int number(ErrorCode code) {
        if (code == ErrorCode.UNKNOWN) {
            throw new IllegalArgumentException("ErrorCode.UNKNOWN has no number; give the number itself");
        }
        return code.code();
    }

    private static int numberOf(ErrorDomain domain) {
        if (domain == ErrorDomain.UNKNOWN) {
            throw new IllegalArgumentException("ErrorDomain.UNKNOWN has no number; give the number itself");
        }
        return domain.code();
    }

    /** The code's constant, or {@link ErrorCode#UNKNOWN} for a number this build does not know. */
    public ErrorCode code() {
        return ErrorCode.fromCode(codeNumber);
    }

    /** The error domain's constant, or {@link ErrorDomain#UNKNOWN} for a number this build does not know. */
    public ErrorDomain domain() {
        return ErrorDomain.fromCode(domainNumber);
    }

    /** A copy naming the domain concerned. */
    public VirtError withDomainName(String name) {
        return new VirtError(codeNumber, domainNumber, level, message, str1, str2, str3, int1, int2, name,
                networkName);
    }

    /** A copy naming the network concerned. */
    public VirtError withNetworkName(String name) {
        return new VirtError(codeNumber, domainNumber, level, message, str1, str2, str3, int1, int2, domainName,
                name);
    }
}
