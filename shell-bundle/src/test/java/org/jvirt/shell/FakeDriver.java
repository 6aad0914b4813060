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
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.NodeInfo;
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
import org.jvirt.spi.SchedulerType;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainJobs;
import org.jvirt.spi.support.DomainList;

import static org.jvirt.spi.Procedure.checkFlags;

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
        return Optional.of(new Conn(new DomainEvents(context.events(), ErrorDomain.NONE)));
    }

    static final class Conn implements DriverConnection {
        private final DomainEvents events;
        private final DomainJobs jobs;
        private DomainState fakeState = DomainState.RUNNING;
        private int fakeReason = DomainStatus.RUNNING_BOOTED;
        /** The progress a caller last saw through domainGetJobInfo, so that a save can wait to be watched. */
        private final Object watch = new Object();
        private long seen = -1;

        Conn(DomainEvents events) {
            this.events = events;
            this.jobs = new DomainJobs(ErrorDomain.NONE, events);
        }

        @Override
        public String connectGetType() {
            return "FAKE";
        }

        @Override
        public String connectGetURI() {
            return "fake:///";
        }

        @Override
        public long connectGetVersion() {
            return 1_002_003;
        }

        @Override
        public String connectGetHostname() {
            return "fakehost";
        }

        @Override
        public boolean connectIsSecure() {
            return true;
        }

        @Override
        public boolean connectIsEncrypted() {
            return false;
        }

        @Override
        public boolean connectIsAlive() {
            return true;
        }

        @Override
        public org.jvirt.api.SecurityModel nodeGetSecurityModel() {
            return new org.jvirt.api.SecurityModel("none", "0");
        }

        @Override
        public org.jvirt.api.SecurityLabel domainGetSecurityLabel(DomainRef dom) {
            return new org.jvirt.api.SecurityLabel("", false);
        }

        @Override
        public NodeInfo nodeGetInfo() {
            return new NodeInfo("x86_64", 1024 * 1024, 4, 2000, 1, 1, 2, 2);
        }

        @Override
        public String connectGetCapabilities() {
            return "<capabilities>\n  <host>\n    <secmodel>\n      <model>none</model>\n      <doi>0</doi>\n"
                    + "    </secmodel>\n  </host>\n</capabilities>\n";
        }

        @Override
        public void connectClose() {
            events.close();
        }

        @Override
        public NetworkConnection networks() {
            return new Nets();
        }

        @Override
        public int connectDomainEventCallbackRegisterAny(int eventId, DomainRef dom) {
            return events.register(eventId, dom);
        }

        @Override
        public void connectDomainEventCallbackDeregisterAny(int callbackId) {
            events.deregister(callbackId);
        }

        private DomainRef fake() {
            return new DomainRef("fake", FAKE_UUID, fakeState.isActive() ? 3 : -1);
        }

        private DomainRef idle() {
            return new DomainRef("idle", IDLE_UUID, -1);
        }

        @Override
        public List<DomainRef> connectListAllDomains(int flags) {
            checkFlags(flags, DomainList.LIST_FILTERS_ALL, "fakeConnectListAllDomains");
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
        public DomainRef domainLookupByID(int id) {
            if (id == 3 && fakeState.isActive()) {
                return fake();
            }
            throw noDomain("no domain with matching id " + id);
        }

        @Override
        public DomainRef domainLookupByName(String name) {
            if (name.equals("fake")) {
                return fake();
            }
            if (name.equals("idle")) {
                return idle();
            }
            throw noDomain("no domain with matching name '" + name + "'");
        }

        @Override
        public DomainRef domainLookupByUUID(UUID uuid) {
            if (uuid.equals(FAKE_UUID)) {
                return fake();
            }
            if (uuid.equals(IDLE_UUID)) {
                return idle();
            }
            throw noDomain("no domain with matching uuid '" + uuid + "'");
        }

        @Override
        public String domainGetOSType(DomainRef dom) {
            return "hvm";
        }

        @Override
        public DomainInfo domainGetInfo(DomainRef dom) {
            if (dom.name().equals("idle")) {
                return new DomainInfo(DomainState.SHUTOFF, 1024, 1024, 1, 0);
            }
            return new DomainInfo(fakeState, 2048, 1024, 2, 12_345_000_000L);
        }

        @Override
        public long domainGetMaxMemory(DomainRef dom) {
            return domainGetInfo(dom).maxMemKiB();
        }

        @Override
        public DomainStatus domainGetState(DomainRef dom, int flags) {
            checkFlags(flags, 0, "fakeDomainGetState");
            if (dom.name().equals("idle")) {
                return new DomainStatus(DomainState.SHUTOFF, DomainStatus.SHUTOFF_UNKNOWN);
            }
            return new DomainStatus(fakeState, fakeReason);
        }

        @Override
        public boolean domainIsActive(DomainRef dom) {
            return domainGetState(dom, 0).state().isActive();
        }

        @Override
        public String domainGetXMLDesc(DomainRef dom, int flags) {
            checkFlags(flags, 0xf, "fakeDomainGetXMLDesc");
            return "<domain type='fake'>\n  <name>" + dom.name() + "</name>\n  <devices>\n"
                    + "    <console type='pty' tty='/dev/pts/7'/>\n  </devices>\n</domain>\n";
        }

        @Override
        public boolean domainIsPersistent(DomainRef dom) {
            return true;
        }

        @Override
        public boolean domainHasManagedSaveImage(DomainRef dom, int flags) {
            return false;
        }

        @Override
        public boolean domainGetAutostart(DomainRef dom) {
            return false;
        }

        @Override
        public void domainSuspend(DomainRef dom) {
            if (!dom.name().equals("fake") || fakeState != DomainState.RUNNING) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.NONE, "domain is not running");
            }
            fakeState = DomainState.PAUSED;
            fakeReason = DomainStatus.PAUSED_USER;
        }

        @Override
        public void domainResume(DomainRef dom) {
            fakeState = DomainState.RUNNING;
            fakeReason = DomainStatus.RUNNING_UNPAUSED;
        }

        /**
         * A save in five steps of a 100-byte job. Each step waits until a caller watching the job (the API's
         * progress listener polls domainGetJobInfo) has seen it, so that every step shows in the output.
         */
        @Override
        public void domainSaveFlags(DomainRef dom, String to, String dxml, int flags) {
            checkFlags(flags, 0, "fakeDomainSaveFlags");
            synchronized (watch) {
                seen = -1;
            }
            try (DomainJobs.Job job = jobs.start(fake(), DomainJobs.OPERATION_SAVE, 100)) {
                for (int i = 0; i <= 4; i++) {
                    job.progress(i * 25);
                    awaitSeen(i * 25, i == 0 ? 1000 : 2000);
                }
                fakeState = DomainState.SHUTOFF;
                fakeReason = DomainStatus.SHUTOFF_SAVED;
                job.succeed();
            }
        }

        /** Waits for a watcher to see this progress; gives up at once if nobody has watched this job at all. */
        private void awaitSeen(long processed, long timeoutMs) {
            long end = System.currentTimeMillis() + timeoutMs;
            synchronized (watch) {
                while (seen != processed && (seen >= 0 || processed == 0)) {
                    long left = end - System.currentTimeMillis();
                    if (left <= 0) {
                        return;
                    }
                    try {
                        watch.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        @Override
        public JobInfo domainGetJobInfo(DomainRef dom) {
            JobInfo info = jobs.info(dom);
            if (info.isActive()) {
                synchronized (watch) {
                    seen = info.dataProcessed();
                    watch.notifyAll();
                }
            }
            return info;
        }

        @Override
        public JobStats domainGetJobStats(DomainRef dom, int flags) {
            checkFlags(flags, DomainJobs.STATS_FLAGS, "fakeDomainGetJobStats");
            return jobs.stats(dom, flags);
        }

        @Override
        public void domainAbortJob(DomainRef dom) {
            jobs.abort(dom);
        }

        @Override
        public List<VcpuInfo> domainGetVcpus(DomainRef dom, int maxinfo, int maplen) {
            BitSet all = new BitSet();
            all.set(0, 4);
            return List.of(new VcpuInfo(0, 1, 1_500_000_000L, 2, all), new VcpuInfo(1, 1, 0, 3, all));
        }

        @Override
        public SchedulerType domainGetSchedulerType(DomainRef dom) {
            return new SchedulerType("fair", 1);
        }

        @Override
        public List<TypedParameter> domainGetSchedulerParametersFlags(DomainRef dom, int nparams, int flags) {
            checkFlags(flags, 0, "fakeDomainGetSchedulerParametersFlags");
            return List.of(TypedParameter.ofUInt("weight", 50));
        }
    }

    static final class Nets implements NetworkConnection {
        private NetworkRef net0() {
            return new NetworkRef("net0", NET_UUID);
        }

        @Override
        public List<NetworkRef> connectListAllNetworks(int flags) {
            checkFlags(flags, 0x3f, "fakeConnectListAllNetworks");
            return List.of(net0());
        }

        @Override
        public NetworkRef networkLookupByName(String name) {
            if (name.equals("net0")) {
                return net0();
            }
            throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.NONE,
                    "no network with matching name '" + name + "'");
        }

        @Override
        public NetworkRef networkLookupByUUID(UUID uuid) {
            if (uuid.equals(NET_UUID)) {
                return net0();
            }
            throw new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.NONE,
                    "no network with matching uuid '" + uuid + "'");
        }

        @Override
        public String networkGetBridgeName(NetworkRef net) {
            return "br-fake";
        }

        @Override
        public boolean networkIsActive(NetworkRef net) {
            return true;
        }

        @Override
        public boolean networkIsPersistent(NetworkRef net) {
            return true;
        }

        @Override
        public boolean networkGetAutostart(NetworkRef net) {
            return true;
        }
    }
}
