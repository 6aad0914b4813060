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
import org.jvirt.api.JobInfo;
import org.jvirt.api.Stream;
import org.jvirt.api.JobStats;
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

    /** One call of {@link DomainRuntimeCalls}, its error reported as every call's is. */
    private <T> T runtime(java.util.function.BiFunction<DomainRuntimeCalls, DomainRef, T> call) {
        try {
            return call.apply(new DomainRuntimeCalls(connect), ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int getVcpuCount(Set<VcpuFlag> flags) {
        return runtime((r, d) -> r.getVcpusFlags(d, flags));
    }

    @Override
    public List<org.jvirt.api.MemoryStat> memoryStats() {
        return runtime(DomainRuntimeCalls::memoryStats);
    }

    @Override
    public org.jvirt.api.BlockInfo getBlockInfo(String disk) {
        return runtime((r, d) -> r.getBlockInfo(d, disk));
    }

    @Override
    public org.jvirt.api.ControlInfo getControlInfo() {
        return runtime(DomainRuntimeCalls::getControlInfo);
    }

    @Override
    public org.jvirt.api.DomainTime getTime() {
        return runtime(DomainRuntimeCalls::getTime);
    }

    @Override
    public String getHostname() {
        return runtime(DomainRuntimeCalls::getHostname);
    }

    @Override
    public String getMetadata(org.jvirt.api.MetadataType type, String uri, Set<ModifyFlag> flags) {
        try {
            return new DomainMetadataCalls(connect).getMetadata(ref, type, uri, flags);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setMetadata(org.jvirt.api.MetadataType type, String metadata, String key, String uri,
            Set<ModifyFlag> flags) {
        try {
            new DomainMetadataCalls(connect).setMetadata(ref, type, metadata, key, uri, flags);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /** One call of {@link DomainPinningCalls}, its error reported as every call's is. */
    private <T> T pinning(java.util.function.BiFunction<DomainPinningCalls, DomainRef, T> call) {
        try {
            return call.apply(new DomainPinningCalls(connect), ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<BitSet> getVcpuPinInfo(Set<ModifyFlag> flags) {
        return pinning((p, d) -> p.getVcpuPinInfo(d, flags));
    }

    @Override
    public void pinEmulator(BitSet cpus, Set<ModifyFlag> flags) {
        pinning((p, d) -> {
            p.pinEmulator(d, cpus, flags);
            return null;
        });
    }

    @Override
    public BitSet getEmulatorPinInfo(Set<ModifyFlag> flags) {
        return pinning((p, d) -> p.getEmulatorPinInfo(d, flags));
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
            return enter().domainGetOSType(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public DomainInfo getInfo() {
        try {
            return enter().domainGetInfo(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public DomainStatus getState() {
        try {
            return enter().domainGetState(ref, 0);
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
            return c.domainGetXMLDesc(ref, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isActive() {
        try {
            return enter().domainIsActive(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public SecurityLabel getSecurityLabel() {
        try {
            return enter().domainGetSecurityLabel(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isPersistent() {
        try {
            return enter().domainIsPersistent(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public Stream openConsole(String devName, int flags) {
        try {
            DriverConnection c = mutating("virDomainOpenConsole");
            StreamPipe pipe = new StreamPipe();
            c.domainOpenConsole(ref, devName, pipe, flags);
            return pipe;
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean hasManagedSaveImage() {
        try {
            return enter().domainHasManagedSaveImage(ref, 0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void managedSave(Set<org.jvirt.api.SaveFlag> flags) {
        try {
            DriverConnection c = mutating("virDomainManagedSave");
            ConnectImpl.requireNonNull(flags, "flags", "virDomainManagedSave");
            int mask = Flag.mask(flags);
            DomainRuntimeCalls.exclusive(mask, org.jvirt.api.SaveFlag.RUNNING.bit(), "VIR_DOMAIN_SAVE_RUNNING",
                    org.jvirt.api.SaveFlag.PAUSED.bit(), "VIR_DOMAIN_SAVE_PAUSED");
            c.domainManagedSave(ref, mask);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void managedSaveRemove() {
        try {
            mutating("virDomainManagedSaveRemove").domainManagedSaveRemove(ref, 0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void rename(String newName) {
        try {
            DriverConnection c = enter();
            if (newName == null || newName.isEmpty()) {
                throw new VirtException(new org.jvirt.api.VirtError(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN,
                        newName == null ? "new_name in virDomainRename must not be NULL"
                                : "string new_name in virDomainRename must not be empty"));
            }
            mutating("virDomainRename");
            c.domainRename(ref, newName, 0);
            ref = new DomainRef(newName, ref.uuid(), ref.id()); // as libvirt's client renames its handle
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean isUpdated() {
        try {
            return enter().domainIsUpdated(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void create() {
        try {
            ref = mutating("virDomainCreate").domainCreateWithFlags(ref, 0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void create(Set<CreateFlag> flags) {
        try {
            DriverConnection c = mutating("virDomainCreateWithFlags");
            ConnectImpl.requireNonNull(flags, "flags", "virDomainCreateWithFlags");
            ref = c.domainCreateWithFlags(ref, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void destroy() {
        destroy(0);
    }

    @Override
    public void destroy(int flags) {
        try {
            mutating("virDomainDestroy").domainDestroyFlags(ref, flags);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void shutdown() {
        shutdown(0);
    }

    @Override
    public void shutdown(int flags) {
        try {
            mutating("virDomainShutdown").domainShutdownFlags(ref, flags);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void reboot() {
        reboot(0);
    }

    @Override
    public void reboot(int flags) {
        try {
            mutating("virDomainReboot").domainReboot(ref, flags);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void suspend() {
        try {
            mutating("virDomainSuspend").domainSuspend(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void resume() {
        try {
            mutating("virDomainResume").domainResume(ref);
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
            JobWatcher.run(c, ref, progress, () -> {
                c.domainSaveFlags(ref, file, null, 0);
                return null;
            });
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
            JobWatcher.run(c, ref, progress, () -> {
                c.domainCoreDump(ref, file, 0);
                return null;
            });
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void undefine() {
        undefine(0);
    }

    @Override
    public void undefine(int flags) {
        try {
            mutating("virDomainUndefineFlags").domainUndefineFlags(ref, flags);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public JobInfo getJobInfo() {
        try {
            return enter().domainGetJobInfo(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public JobStats getJobStats(int flags) {
        try {
            return enter().domainGetJobStats(ref, flags);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void abortJob() {
        try {
            mutating("virDomainAbortJob").domainAbortJob(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public boolean getAutostart() {
        try {
            return enter().domainGetAutostart(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setAutostart(boolean autostart) {
        try {
            mutating("virDomainSetAutostart").domainSetAutostart(ref, autostart);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public long getMaxMemory() {
        try {
            return enter().domainGetMaxMemory(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setMaxMemory(long kib) {
        try {
            DriverConnection c = mutating("virDomainSetMaxMemory");
            requirePositive(kib, "memory", "virDomainSetMaxMemory");
            c.domainSetMaxMemory(ref, kib);
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
            c.domainSetMemoryFlags(ref, kib, Flag.mask(flags));
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
            c.domainSetVcpusFlags(ref, count, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public int getMaxVcpus() {
        try {
            return enter().domainGetMaxVcpus(ref);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<VcpuInfo> getVcpus() {
        try {
            DriverConnection c = enter();
            // as virsh: room for every vCPU the domain has, with a map as wide as the host's CPUs
            int maxinfo = c.domainGetInfo(ref).vcpus();
            int maplen = (c.nodeGetInfo().maxCpus() + 7) / 8;
            return c.domainGetVcpus(ref, maxinfo, maplen);
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
            c.domainPinVcpuFlags(ref, vcpu, (BitSet) cpus.clone(), 0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public String getSchedulerType() {
        try {
            return enter().domainGetSchedulerType(ref).type();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public List<TypedParameter> getSchedulerParameters() {
        try {
            DriverConnection c = enter();
            return c.domainGetSchedulerParametersFlags(ref, c.domainGetSchedulerType(ref).nparams(), 0);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public void setSchedulerParameters(List<TypedParameter> params) {
        try {
            DriverConnection c = mutating("virDomainSetSchedulerParameters");
            ConnectImpl.requireNonNull(params, "params", "virDomainSetSchedulerParameters");
            c.domainSetSchedulerParametersFlags(ref, List.copyOf(params), 0);
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
            c.domainAttachDeviceFlags(ref, xml, Flag.mask(flags));
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
            c.domainDetachDeviceFlags(ref, xml, Flag.mask(flags));
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public BlockStats blockStats(String device) {
        try {
            DriverConnection c = enter();
            ConnectImpl.requireNonEmpty(device, "disk", "virDomainBlockStats");
            return c.domainBlockStats(ref, device);
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    @Override
    public InterfaceStats interfaceStats(String device) {
        try {
            DriverConnection c = enter();
            ConnectImpl.requireNonEmpty(device, "device", "virDomainInterfaceStats");
            return c.domainInterfaceStats(ref, device);
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
            DomainRef moved = Migration.run(c, ref, d, Flag.mask(flags), newName, uri, bandwidthMiBs, progress);
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
