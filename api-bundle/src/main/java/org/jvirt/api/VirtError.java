package org.jvirt.api;

/**
 * One error, with libvirt's fields, so that it crosses the wire unchanged.
 *
 * @param code       libvirt's virErrorNumber
 * @param domain     libvirt's virErrorDomain: where it arose
 * @param level      severity
 * @param message    the full human-readable message
 * @param str1       extra information, as libvirt's str1
 * @param str2       extra information, as libvirt's str2
 * @param str3       extra information, as libvirt's str3
 * @param int1       extra number, as libvirt's int1
 * @param int2       extra number, as libvirt's int2
 * @param domainName the domain concerned, or null
 * @param networkName the network concerned, or null
 */
public record VirtError(ErrorCode code, ErrorDomain domain, ErrorLevel level, String message,
        String str1, String str2, String str3, int int1, int int2,
        String domainName, String networkName) {

    public VirtError {
        if (code == null) {
            code = ErrorCode.INTERNAL_ERROR;
        }
        if (domain == null) {
            domain = ErrorDomain.NONE;
        }
        if (level == null) {
            level = ErrorLevel.ERROR;
        }
        if (message == null) {
            message = ErrorMessages.prefix(code, null);
        }
    }

    public VirtError(ErrorCode code, ErrorDomain domain, String message) {
        this(code, domain, ErrorLevel.ERROR, message, null, null, null, 0, 0, null, null);
    }

    /** A copy naming the domain concerned. */
    public VirtError withDomainName(String name) {
        return new VirtError(code, domain, level, message, str1, str2, str3, int1, int2, name, networkName);
    }

    /** A copy naming the network concerned. */
    public VirtError withNetworkName(String name) {
        return new VirtError(code, domain, level, message, str1, str2, str3, int1, int2, domainName, name);
    }
}
