package org.jvirt.xml;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a driver contributes to domain parsing: {@link #postParse} fills in driver defaults (machine
 * type, implicit controllers, addresses), {@link #validate} only rejects, by throwing a
 * {@link org.jvirt.api.VirtException}, and never modifies. {@link DomainXml#parse(String, DomainXmlHooks)}
 * fixes the order: parse, postParse, generic post-parse and validation, validate.
 */
@ConsumerType
public interface DomainXmlHooks {
    /** No driver hooks. */
    DomainXmlHooks NONE = new DomainXmlHooks() { };

    default void postParse(DomainDef def) {
    }

    default void validate(DomainDef def) {
    }

    /** Whether the driver takes disk sources passed as file descriptors ({@code <source fdgroup=...>}). */
    default boolean diskFdPassing() {
        return false;
    }
}
