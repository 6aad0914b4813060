package org.jvirt.driver.test.internal;

import org.jvirt.spi.NetworkRef;
import org.jvirt.xml.NetworkDef;

/** One virtual network of a test host. Guarded by the host's lock. */
final class TestNetwork {
    NetworkDef def;
    /** A persistent definition given while the network runs: it takes effect at the next start. */
    NetworkDef next;
    boolean active;
    boolean persistent;
    boolean autostart;

    TestNetwork(NetworkDef def, boolean active, boolean persistent) {
        this.def = def;
        this.active = active;
        this.persistent = persistent;
    }

    NetworkRef ref() {
        return new NetworkRef(def.getName(), def.getUuid());
    }
}
