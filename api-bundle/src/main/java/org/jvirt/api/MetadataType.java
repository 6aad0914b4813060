package org.jvirt.api;

/** Which of a domain's metadata (libvirt's virDomainMetadataType, numbered by ordinal). */
public enum MetadataType {
    /** the {@code <description>} text */
    DESCRIPTION,
    /** the {@code <title>} text: one line */
    TITLE,
    /** one element of {@code <metadata>}, named by its namespace URI */
    ELEMENT;

    /** libvirt's number. */
    public int code() {
        return ordinal();
    }
}
