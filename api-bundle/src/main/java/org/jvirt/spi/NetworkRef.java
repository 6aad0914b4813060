package org.jvirt.spi;

import java.util.UUID;

/**
 * What identifies a network between the front end and a driver.
 *
 * @param name network name
 * @param uuid network UUID
 */
public record NetworkRef(String name, UUID uuid) {
}
