package org.jvirt.spi;

import java.util.UUID;

/**
 * What identifies a domain between the front end and a driver.
 *
 * @param name domain name
 * @param uuid domain UUID
 * @param id   id while running, or -1
 */
public record DomainRef(String name, UUID uuid, int id) {
}
