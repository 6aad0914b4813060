package org.jvirt.core.internal;

import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jvirt.api.BlockStats;
import org.jvirt.api.Connect;
import org.jvirt.api.CreateFlag;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.Flag;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.MemoryFlag;
import org.jvirt.api.MigrateFlag;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.ProgressListener;
import org.jvirt.api.SecurityLabel;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuFlag;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;

/** The front end for one domain: a cheap handle holding the connection and the driver's ref. */
final class DomainImpl implements Domain {
    private final ConnectImpl connect;
    private volatile DomainRef ref;

    DomainImpl(ConnectImpl connect, DomainRef ref) {
        this.connect = connect;
        this.ref = ref;
    }

    DomainRef ref() {
        return ref;
    }

    private RuntimeException fail(RuntimeException e) {
        return connect.fail(e, ref.name(), null);
    }

    private DriverConnection enter() {
        return connect.enter();
    }

    private DriverConnection mutating(String api) {
        return connect.enterMutating(api);
    }

    private static ProgressListener orNone(ProgressListener p) {
        return p == null ? ProgressListener.NONE : p;
    }

    @Override
    public Connect getConnect() {
        return connect;
    }

    @Override
    public String getName() {
        return ref.name();
    }

    @Override
    public UUID getUUID() {
        return ref.uuid();
    }

    @Override
    public String getUUIDString() {
        return ref.uuid().toString();
    }

    @Override
    public int getID() {
        return ref.id();
    }

    @Override
    public String getOSType() {
        try {
            return enter().osType(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public DomainInfo getInfo() {
        try {
            return enter().info(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public DomainStatus getState() {
        try {
            return enter().state(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getXMLDesc(Set<XmlFlag> flags) {
        try {
            DriverConnection c = enter();
            ConnectImpl.requireNonNull(flags, "flags", "virDomainGetXMLDesc");
            if (flags.contains(XmlFlag.SECURE) && connect.isReadOnly()) {
                throw new VirtException(ErrorCode.OPERATION_DENIED, ErrorDomain.DOM,
                        "virDomainGetXMLDesc with secure flag");
            }
            return c.xmlDesc(ref, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isActive() {
        try {
            return enter().isActive(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public SecurityLabel getSecurityLabel() {
        try {
            return enter().securityLabel(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isPersistent() {
        try {
            return enter().isPersistent(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void create() {
        try {
            ref = mutating("virDomainCreate").create(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void create(Set<CreateFlag> flags) {
        try {
            DriverConnection c = mutating("virDomainCreateWithFlags");
            ConnectImpl.requireNonNull(flags, "flags", "virDomainCreateWithFlags");
            ref = c.create(ref, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void destroy() {
        try {
            mutating("virDomainDestroy").destroy(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void shutdown() {
        try {
            mutating("virDomainShutdown").shutdown(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void reboot() {
        try {
            mutating("virDomainReboot").reboot(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void suspend() {
        try {
            mutating("virDomainSuspend").suspend(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void resume() {
        try {
            mutating("virDomainResume").resume(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void save(String file) {
        save(file, null);
    }

    @Override
    public void save(String file, ProgressListener progress) {
        try {
            DriverConnection c = mutating("virDomainSave");
            ConnectImpl.requireNonEmpty(file, "to", "virDomainSave");
            c.save(ref, file, orNone(progress));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void coreDump(String file) {
        coreDump(file, null);
    }

    @Override
    public void coreDump(String file, ProgressListener progress) {
        try {
            DriverConnection c = mutating("virDomainCoreDump");
            ConnectImpl.requireNonEmpty(file, "to", "virDomainCoreDump");
            c.coreDump(ref, file, orNone(progress));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void undefine() {
        try {
            mutating("virDomainUndefineFlags").undefine(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean getAutostart() {
        try {
            return enter().getAutostart(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setAutostart(boolean autostart) {
        try {
            mutating("virDomainSetAutostart").setAutostart(ref, autostart);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public long getMaxMemory() {
        try {
            return enter().maxMemory(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setMaxMemory(long kib) {
        try {
            DriverConnection c = mutating("virDomainSetMaxMemory");
            requirePositive(kib, "memory", "virDomainSetMaxMemory");
            c.setMaxMemory(ref, kib);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setMemory(long kib) {
        setMemory(kib, Set.of());
    }

    @Override
    public void setMemory(long kib, Set<MemoryFlag> flags) {
        try {
            DriverConnection c = mutating("virDomainSetMemoryFlags");
            requirePositive(kib, "memory", "virDomainSetMemory");
            ConnectImpl.requireNonNull(flags, "flags", "virDomainSetMemoryFlags");
            c.setMemory(ref, kib, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setVcpus(int count) {
        setVcpus(count, Set.of());
    }

    @Override
    public void setVcpus(int count, Set<VcpuFlag> flags) {
        try {
            DriverConnection c = mutating("virDomainSetVcpus");
            requirePositive(count, "nvcpus", "virDomainSetVcpus");
            ConnectImpl.requireNonNull(flags, "flags", "virDomainSetVcpusFlags");
            c.setVcpus(ref, count, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int getMaxVcpus() {
        try {
            return enter().maxVcpus(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<VcpuInfo> getVcpus() {
        try {
            return enter().vcpus(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void pinVcpu(int vcpu, BitSet cpus) {
        try {
            DriverConnection c = mutating("virDomainPinVcpu");
            ConnectImpl.requireNonNull(cpus, "cpumap", "virDomainPinVcpu");
            if (vcpu < 0 || cpus.isEmpty()) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE,
                        vcpu < 0 ? "vcpu in virDomainPinVcpu must be non-negative" : "cpumap in virDomainPinVcpu must not be empty");
            }
            c.pinVcpu(ref, vcpu, (BitSet) cpus.clone());
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getSchedulerType() {
        try {
            return enter().schedulerType(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<TypedParameter> getSchedulerParameters() {
        try {
            return enter().schedulerParameters(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setSchedulerParameters(List<TypedParameter> params) {
        try {
            DriverConnection c = mutating("virDomainSetSchedulerParameters");
            ConnectImpl.requireNonNull(params, "params", "virDomainSetSchedulerParameters");
            c.setSchedulerParameters(ref, List.copyOf(params));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void attachDevice(String xml) {
        attachDevice(xml, Set.of());
    }

    @Override
    public void attachDevice(String xml, Set<ModifyFlag> flags) {
        try {
            DriverConnection c = mutating("virDomainAttachDevice");
            ConnectImpl.requireNonEmpty(xml, "xml", "virDomainAttachDevice");
            ConnectImpl.requireNonNull(flags, "flags", "virDomainAttachDeviceFlags");
            c.attachDevice(ref, xml, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void detachDevice(String xml) {
        detachDevice(xml, Set.of());
    }

    @Override
    public void detachDevice(String xml, Set<ModifyFlag> flags) {
        try {
            DriverConnection c = mutating("virDomainDetachDevice");
            ConnectImpl.requireNonEmpty(xml, "xml", "virDomainDetachDevice");
            ConnectImpl.requireNonNull(flags, "flags", "virDomainDetachDeviceFlags");
            c.detachDevice(ref, xml, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public BlockStats blockStats(String device) {
        try {
            DriverConnection c = enter();
            ConnectImpl.requireNonEmpty(device, "disk", "virDomainBlockStats");
            return c.blockStats(ref, device);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public InterfaceStats interfaceStats(String device) {
        try {
            DriverConnection c = enter();
            ConnectImpl.requireNonEmpty(device, "device", "virDomainInterfaceStats");
            return c.interfaceStats(ref, device);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Domain migrate(Connect destination, Set<MigrateFlag> flags, String newName, String uri,
            long bandwidthMiBs, ProgressListener progress) {
        try {
            DriverConnection c = mutating("virDomainMigrate");
            ConnectImpl.requireNonNull(destination, "dconn", "virDomainMigrate");
            ConnectImpl.requireNonNull(flags, "flags", "virDomainMigrate");
            if (!(destination instanceof ConnectImpl dest)) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE,
                        "dconn in virDomainMigrate must be a jvirt connection");
            }
            DriverConnection d = dest.enterMutating("virDomainMigrate");
            DomainRef moved = Migration.run(c, ref, d, Flag.mask(flags), newName, uri, bandwidthMiBs, orNone(progress));
            return new DomainImpl(dest, moved);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void migrateToURI(String destinationUri, Set<MigrateFlag> flags, String newName, long bandwidthMiBs,
            ProgressListener progress) {
        try (Connect dest = Connect.open(destinationUri)) {
            migrate(dest, flags, newName, null, bandwidthMiBs, progress);
        }
    }

    private static void requirePositive(long value, String what, String api) {
        if (value <= 0) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE, what + " in " + api + " must be positive");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainImpl d && d.connect == connect && d.ref.uuid().equals(ref.uuid());
    }

    @Override
    public int hashCode() {
        return ref.uuid().hashCode();
    }

    @Override
    public String toString() {
        return "Domain[" + ref.name() + "]";
    }
}
