package org.jvirt.api;

/**
 * A lifecycle event.
 *
 * @param domain the domain concerned
 * @param type   what happened
 * @param detail why, numbered per type as libvirt's virDomainEvent*DetailType
 */
public record DomainEvent(Domain domain, DomainEventType type, int detail) {

    public String detailLabel() {
        return type.detailLabel(detail);
    }
}
