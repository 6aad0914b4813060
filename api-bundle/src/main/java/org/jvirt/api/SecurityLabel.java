package org.jvirt.api;

/**
 * A domain's security label (libvirt's virSecurityLabel).
 *
 * @param label     the label, empty when the domain has none (e.g. while shut off)
 * @param enforcing whether the security policy is enforced
 */
public record SecurityLabel(String label, boolean enforcing) {
}
