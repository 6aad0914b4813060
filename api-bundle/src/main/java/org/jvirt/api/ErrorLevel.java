package org.jvirt.api;

/** Severity of an error, numbered as libvirt's virErrorLevel. */
public enum ErrorLevel {
    NONE,
    WARNING,
    ERROR;

    public int code() {
        return ordinal();
    }

    public static ErrorLevel fromCode(int code) {
        return code >= 0 && code < 3 ? values()[code] : ERROR;
    }
}
