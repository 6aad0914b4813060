package org.jvirt.api;

/**
 * The host's security model (libvirt's virSecurityModel).
 *
 * @param model the model name, empty when there is none
 * @param doi   the domain of interpretation
 */
public record SecurityModel(String model, String doi) {
}
