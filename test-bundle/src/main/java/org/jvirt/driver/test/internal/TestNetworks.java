package org.jvirt.driver.test.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ListNetworksFlag;
import org.jvirt.api.VirtException;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.spi.NetworkRef;
import org.jvirt.xml.NetworkDef;
import org.jvirt.xml.NetworkXml;

/** The network side of a test connection. */
final class TestNetworks implements NetworkConnection {
    private final TestHost host;

    TestNetworks(TestHost host) {
        this.host = host;
    }

    private TestNetwork find(NetworkRef ref) {
        for (TestNetwork n : host.networks.values()) {
            if (n.def.getUuid().equals(ref.uuid())) {
                return n;
            }
        }
        throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.TEST,
                "no network with matching uuid '" + ref.uuid() + "' (" + ref.name() + ")");
    }

    @Override
    public List<String> listNetworkNames(boolean active) {
        synchronized (host) {
            return host.networks.values().stream().filter(n -> n.active == active).map(n -> n.def.getName())
                    .sorted().toList();
        }
    }

    @Override
    public List<NetworkRef> listAllNetworks(int flags) {
        synchronized (host) {
            List<NetworkRef> out = new ArrayList<>();
            for (TestNetwork n : host.networks.values()) {
                if (matches(flags, n)) {
                    out.add(n.ref());
                }
            }
            return out;
        }
    }

    private static boolean matches(int flags, TestNetwork n) {
        return pair(flags, ListNetworksFlag.ACTIVE, ListNetworksFlag.INACTIVE, n.active)
                && pair(flags, ListNetworksFlag.PERSISTENT, ListNetworksFlag.TRANSIENT, n.persistent)
                && pair(flags, ListNetworksFlag.AUTOSTART, ListNetworksFlag.NO_AUTOSTART, n.autostart);
    }

    private static boolean pair(int flags, ListNetworksFlag yes, ListNetworksFlag no, boolean value) {
        boolean y = (flags & yes.bit()) != 0;
        boolean n = (flags & no.bit()) != 0;
        return !y && !n || y && value || n && !value;
    }

    @Override
    public NetworkRef lookupByName(String name) {
        synchronized (host) {
            TestNetwork n = host.networks.get(name);
            if (n != null) {
                return n.ref();
            }
        }
        throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.TEST, "no network with matching name '" + name + "'");
    }

    @Override
    public NetworkRef lookupByUUID(UUID uuid) {
        synchronized (host) {
            for (TestNetwork n : host.networks.values()) {
                if (n.def.getUuid().equals(uuid)) {
                    return n.ref();
                }
            }
        }
        throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.TEST, "no network with matching uuid '" + uuid + "'");
    }

    @Override
    public NetworkRef defineXML(String xml) {
        NetworkDef def = NetworkXml.parse(xml);
        synchronized (host) {
            TestNetwork existing = checkUnique(def);
            if (existing != null) {
                if (existing.active) {
                    existing.next = def; // the running network keeps its definition until restarted
                } else {
                    existing.def = def;
                }
                existing.persistent = true;
                return existing.ref();
            }
            TestNetwork n = new TestNetwork(def, false, true);
            host.networks.put(def.getName(), n);
            return n.ref();
        }
    }

    @Override
    public NetworkRef createXML(String xml) {
        NetworkDef def = NetworkXml.parse(xml);
        synchronized (host) {
            TestNetwork existing = checkUnique(def);
            if (existing != null) {
                if (existing.active) {
                    throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                            "network '" + def.getName() + "' is already active");
                }
                existing.def = def;
                existing.active = true;
                return existing.ref();
            }
            TestNetwork n = new TestNetwork(def, true, false);
            host.networks.put(def.getName(), n);
            return n.ref();
        }
    }

    private TestNetwork checkUnique(NetworkDef def) {
        TestNetwork byName = host.networks.get(def.getName());
        for (TestNetwork n : host.networks.values()) {
            if (n.def.getUuid().equals(def.getUuid()) && n != byName) {
                throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.TEST, "network '" + n.def.getName()
                        + "' is already defined with uuid " + def.getUuid());
            }
        }
        if (byName != null && !byName.def.getUuid().equals(def.getUuid())) {
            throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.TEST, "network '" + def.getName()
                    + "' already exists with uuid " + byName.def.getUuid());
        }
        return byName;
    }

    @Override
    public String xmlDesc(NetworkRef net) {
        synchronized (host) {
            return NetworkXml.format(find(net).def);
        }
    }

    @Override
    public String xmlDesc(NetworkRef net, int flags) {
        if (flags != 0) {
            // libvirt's test driver takes no flags here, not even INACTIVE
            throw org.jvirt.spi.DriverConnection.unsupportedFlags(flags, "testNetworkGetXMLDesc");
        }
        return xmlDesc(net);
    }

    @Override
    public String bridgeName(NetworkRef net) {
        synchronized (host) {
            String bridge = find(net).def.getBridgeName();
            if (bridge == null) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST,
                        "network '" + net.name() + "' does not have a bridge name.");
            }
            return bridge;
        }
    }

    @Override
    public boolean isActive(NetworkRef net) {
        synchronized (host) {
            return find(net).active;
        }
    }

    @Override
    public boolean isPersistent(NetworkRef net) {
        synchronized (host) {
            return find(net).persistent;
        }
    }

    @Override
    public void create(NetworkRef net) {
        synchronized (host) {
            TestNetwork n = find(net);
            if (n.active) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, "network is already active");
            }
            n.active = true;
        }
    }

    @Override
    public void destroy(NetworkRef net) {
        synchronized (host) {
            TestNetwork n = find(net);
            if (!n.active) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, "network is not active");
            }
            n.active = false;
            if (!n.persistent) {
                host.networks.remove(n.def.getName());
            } else if (n.next != null) {
                n.def = n.next;
                n.next = null;
            }
        }
    }

    @Override
    public void undefine(NetworkRef net) {
        synchronized (host) {
            TestNetwork n = find(net);
            if (!n.persistent) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "network '" + n.def.getName() + "' is not persistent");
            }
            if (n.active) {
                n.persistent = false;
                n.autostart = false;
            } else {
                host.networks.remove(n.def.getName());
            }
        }
    }

    @Override
    public boolean getAutostart(NetworkRef net) {
        synchronized (host) {
            return find(net).autostart;
        }
    }

    @Override
    public void setAutostart(NetworkRef net, boolean autostart) {
        synchronized (host) {
            TestNetwork n = find(net);
            if (!n.persistent) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "cannot set autostart for transient network");
            }
            n.autostart = autostart;
        }
    }
}
