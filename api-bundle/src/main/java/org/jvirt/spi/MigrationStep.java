package org.jvirt.spi;

/**
 * What one migration phase hands to the next (libvirt's v3 begin and prepare results).
 *
 * @param text   the domain XML (after begin) or the URI to migrate to (after prepare)
 * @param cookie opaque driver data for the other side
 */
public record MigrationStep(String text, byte[] cookie) {
}
