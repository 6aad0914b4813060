package org.jvirt.spi;

/**
 * What the destination's finish phase returns (libvirt's remote_domain_migrate_finish3_ret).
 *
 * @param domain the domain now running on the destination, or null when the migration was cancelled
 * @param cookie opaque driver data for the source's confirm phase
 */
public record MigrationFinish(DomainRef domain, byte[] cookie) {
}
