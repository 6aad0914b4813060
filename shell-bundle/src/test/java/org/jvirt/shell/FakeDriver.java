package org.jvirt.shell;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.ProgressListener;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.spi.NetworkRef;
import org.jvirt.spi.OpenContext;

/**
 * A tiny driver for the shell's unit tests ({@code fake:///}): one running domain "fake" (id 3) and one
 * defined domain "idle", one network "net0". Independent of the real test driver.
 */
public final class FakeDriver implements Driver {

    static final UUID FAKE_UUID = UUID.fromString("11111111-2222-3333-4444-555555555555");
    static final UUID IDLE_UUID = UUID.fromString("66666666-2222-3333-4444-555555555555");
    static final UUID NET_UUID = UUID.fromString("77777777-2222-3333-4444-555555555555");

    @Override
    public String name() {
        return "Fake";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("fake");
    }

    @Override
    public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
        return Optional.of(new Conn());
    }

    static final class Conn implements DriverConnection {
        private DomainState fakeState = DomainState.RUNNING;
        private int fakeReason = DomainStatus.RUNNING_BOOTED;

        @Override
        public String type() {
            return "FAKE";
        }

        @Override
        public String uri() {
            return "fake:///";
        }

        @Override
        public long version() {
            return 1_002_003;
        }

        @Override
        public String hostname() {
            return "fakehost";
        }

        @Override
        public org.jvirt.api.SecurityModel securityModel() {
            return new org.jvirt.api.SecurityModel("none", "0");
        }

        @Override
        public org.jvirt.api.SecurityLabel securityLabel(DomainRef dom) {
            return new org.jvirt.api.SecurityLabel("", false);
        }

        @Override
        public NodeInfo nodeInfo() {
            return new NodeInfo("x86_64", 1024 * 1024, 4, 2000, 1, 1, 2, 2);
        }

        @Override
        public String capabilities() {
            return "<capabilities>\n  <host>\n    <secmodel>\n      <model>none</model>\n      <doi>0</doi>\n"
                    + "    </secmodel>\n  </host>\n</capabilities>\n";
        }

        @Override
        public void close() {
        }

        @Override
        public NetworkConnection networks() {
            return new Nets();
        }

        private DomainRef fake() {
            return new DomainRef("fake", FAKE_UUID, fakeState.isActive() ? 3 : -1);
        }

        private DomainRef idle() {
            return new DomainRef("idle", IDLE_UUID, -1);
        }

        @Override
        public List<DomainRef> listAllDomains(int flags) {
            List<DomainRef> out = new ArrayList<>();
            boolean active = (flags & 1) != 0;
            boolean inactive = (flags & 2) != 0;
            boolean any = !active && !inactive;
            if (any || (active && fakeState.isActive()) || (inactive && !fakeState.isActive())) {
                out.add(fake());
            }
            if (any || inactive) {
                out.add(idle());
            }
            return out;
        }

        private static VirtException noDomain(String what) {
            return new VirtException(ErrorCode.NO_DOMAIN, ErrorDomain.NONE, what);
        }

        @Override
        public DomainRef lookupById(int id) {
            if (id == 3 && fakeState.isActive()) {
                return fake();
            }
            throw noDomain("no domain with matching id " + id);
        }

        @Override
        public DomainRef lookupByName(String name) {
            if (name.equals("fake")) {
                return fake();
            }
            if (name.equals("idle")) {
                return idle();
            }
            throw noDomain("no domain with matching name '" + name + "'");
        }

        @Override
        public DomainRef lookupByUUID(UUID uuid) {
            if (uuid.equals(FAKE_UUID)) {
                return fake();
            }
            if (uuid.equals(IDLE_UUID)) {
                return idle();
            }
            throw noDomain("no domain with matching uuid '" + uuid + "'");
        }

        @Override
        public String osType(DomainRef dom) {
            return "hvm";
        }

        @Override
        public DomainInfo info(DomainRef dom) {
            if (dom.name().equals("idle")) {
                return new DomainInfo(DomainState.SHUTOFF, 1024, 1024, 1, 0);
            }
            return new DomainInfo(fakeState, 2048, 1024, 2, 12_345_000_000L);
        }

        @Override
        public DomainStatus state(DomainRef dom) {
            if (dom.name().equals("idle")) {
                return new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_UNKNOWN);
            }
            return new DomainStatus(fakeState, fakeReason);
        }

        @Override
        public String xmlDesc(DomainRef dom, int flags) {
            return "<domain type='fake'>\n  <name>" + dom.name() + "</name>\n  <devices>\n"
                    + "    <console type='pty' tty='/dev/pts/7'/>\n  </devices>\n</domain>\n";
        }

        @Override
        public boolean isPersistent(DomainRef dom) {
            return true;
        }

        @Override
        public boolean getAutostart(DomainRef dom) {
            return false;
        }

        @Override
        public void suspend(DomainRef dom) {
            if (!dom.name().equals("fake") || fakeState != DomainState.RUNNING) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.NONE, "domain is not running");
            }
            fakeState = DomainState.PAUSED;
            fakeReason = DomainStatus.PAUSED_USER;
        }

        @Override
        public void resume(DomainRef dom) {
            fakeState = DomainState.RUNNING;
            fakeReason = DomainStatus.RUNNING_UNPAUSED;
        }

        @Override
        public void save(DomainRef dom, String file, ProgressListener progress) {
            for (int i = 0; i <= 4; i++) {
                progress.progress(i * 25, 100);
            }
            fakeState = DomainState.SHUTOFF;
            fakeReason = DomainStatus.SHUTOFF_SAVED;
        }

        @Override
        public List<VcpuInfo> vcpus(DomainRef dom) {
            BitSet all = new BitSet();
            all.set(0, 4);
            return List.of(new VcpuInfo(0, 1, 1_500_000_000L, 2, all), new VcpuInfo(1, 1, 0, 3, all));
        }

        @Override
        public String schedulerType(DomainRef dom) {
            return "fair";
        }

        @Override
        public List<TypedParameter> schedulerParameters(DomainRef dom) {
            return List.of(TypedParameter.ofUInt("weight", 50));
        }

}

    static final class Nets implements NetworkConnection {
        private NetworkRef net0() {
            return new NetworkRef("net0", NET_UUID);
        }

        @Override
        public List<NetworkRef> listAllNetworks(int flags) {
            return List.of(net0());
        }

        @Override
        public NetworkRef lookupByName(String name) {
            if (name.equals("net0")) {
                return net0();
            }
            throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.NONE,
                    "no network with matching name '" + name + "'");
        }

        @Override
        public NetworkRef lookupByUUID(UUID uuid) {
            if (uuid.equals(NET_UUID)) {
                return net0();
            }
            throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.NONE,
                    "no network with matching uuid '" + uuid + "'");
        }

        @Override
        public String bridgeName(NetworkRef net) {
            return "br-fake";
        }

        @Override
        public boolean isActive(NetworkRef net) {
            return true;
        }

        @Override
        public boolean isPersistent(NetworkRef net) {
            return true;
        }

        @Override
        public boolean getAutostart(NetworkRef net) {
            return true;
        }
    }
}
