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

import static org.jvirt.spi.Procedure.checkFlags;

/** The network side of a test connection. */
final class TestNetworks implements NetworkConnection {
    /** libvirt's VIR_CONNECT_LIST_NETWORKS_FILTERS_ALL. */
    private static final int LIST_FILTERS_ALL = 0x3f;
    /** VIR_NETWORK_DEFINE_VALIDATE and VIR_NETWORK_CREATE_VALIDATE. */
    private static final int VALIDATE = 1;

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

    private List<String> names(boolean active, int max) {
        synchronized (host) {
            List<String> names = host.networks.values().stream().filter(n -> n.active == active)
                    .map(n -> n.def.getName()).sorted().toList();
            return max >= 0 && names.size() > max ? names.subList(0, max) : names;
        }
    }

    @Override
    public int connectNumOfNetworks() {
        return names(true, -1).size();
    }

    @Override
    public List<String> connectListNetworks(int maxnames) {
        return names(true, maxnames);
    }

    @Override
    public int connectNumOfDefinedNetworks() {
        return names(false, -1).size();
    }

    @Override
    public List<String> connectListDefinedNetworks(int maxnames) {
        return names(false, maxnames);
    }

    @Override
    public List<NetworkRef> connectListAllNetworks(int flags) {
        checkFlags(flags, LIST_FILTERS_ALL, ErrorDomain.TEST, "testConnectListAllNetworks");
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
    public NetworkRef networkLookupByName(String name) {
        synchronized (host) {
            TestNetwork n = host.networks.get(name);
            if (n != null) {
                return n.ref();
            }
        }
        throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.TEST, "no network with matching name '" + name + "'");
    }

    @Override
    public NetworkRef networkLookupByUUID(UUID uuid) {
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
    public NetworkRef networkDefineXMLFlags(String xml, int flags) {
        checkFlags(flags, VALIDATE, ErrorDomain.TEST, "testNetworkDefineXMLFlags");
        NetworkDef def = NetworkXml.parse(xml, (flags & VALIDATE) != 0);
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
    public NetworkRef networkCreateXMLFlags(String xml, int flags) {
        checkFlags(flags, VALIDATE, ErrorDomain.TEST, "testNetworkCreateXMLFlags");
        NetworkDef def = NetworkXml.parse(xml, (flags & VALIDATE) != 0);
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
    public String networkGetXMLDesc(NetworkRef net, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testNetworkGetXMLDesc"); // libvirt's test driver takes no flags here, not even INACTIVE
        synchronized (host) {
            return NetworkXml.format(find(net).def);
        }
    }

    @Override
    public String networkGetBridgeName(NetworkRef net) {
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
    public boolean networkIsActive(NetworkRef net) {
        synchronized (host) {
            return find(net).active;
        }
    }

    @Override
    public boolean networkIsPersistent(NetworkRef net) {
        synchronized (host) {
            return find(net).persistent;
        }
    }

    @Override
    public void networkCreate(NetworkRef net) {
        synchronized (host) {
            TestNetwork n = find(net);
            if (n.active) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, "network is already active");
            }
            n.active = true;
        }
    }

    @Override
    public void networkDestroy(NetworkRef net) {
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
    public void networkUndefine(NetworkRef net) {
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
    public boolean networkGetAutostart(NetworkRef net) {
        synchronized (host) {
            return find(net).autostart;
        }
    }

    @Override
    public void networkSetAutostart(NetworkRef net, boolean autostart) {
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
