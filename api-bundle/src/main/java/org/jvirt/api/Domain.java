package org.jvirt.api;

import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A cheap handle on one domain (libvirt's virDomain); it needs no freeing. Calls go through the
 * connection that made it and throw {@link VirtException} on failure.
 */
@ProviderType
public interface Domain {

    Connect getConnect();

    String getName();

    UUID getUUID();

    String getUUIDString();

    /** The id while running, or -1. */
    int getID();

    String getOSType();

    DomainInfo getInfo();

    DomainStatus getState();

    String getXMLDesc(Set<XmlFlag> flags);

    default String getXMLDesc() {
        return getXMLDesc(Set.of());
    }

    boolean isActive();

    SecurityLabel getSecurityLabel();

    boolean isPersistent();

    /**
     * Connects to the domain's console (or the serial or console device {@code devName}), as libvirt's
     * virDomainOpenConsole. @param flags virDomainConsoleFlags: FORCE (1) takes over another session
     */
    Stream openConsole(String devName, int flags);

    /** Whether a managed save image exists (libvirt's virDomainHasManagedSaveImage). */
    boolean hasManagedSaveImage();

    /** Saves the running domain's state where the driver keeps it, for its next start (virDomainManagedSave). */
    void managedSave(Set<SaveFlag> flags);

    /** Forgets the managed save image (libvirt's virDomainManagedSaveRemove). */
    void managedSaveRemove();

    /** Renames a shut-off persistent domain; this handle takes the new name (libvirt's virDomainRename). */
    void rename(String newName);

    /** Whether the persistent definition was changed while the domain runs (libvirt's virDomainIsUpdated). */
    boolean isUpdated();

    // ---- lifecycle -------------------------------------------------------------------------------

    /** Starts a defined domain. */
    void create();

    /** Starts a defined domain with options, e.g. {@link CreateFlag#PAUSED} (libvirt's virDomainCreateWithFlags). */
    void create(Set<CreateFlag> flags);

    void destroy();

    /** @param flags libvirt's virDomainDestroyFlagsValues bits, passed to the driver as they are */
    void destroy(int flags);

    void shutdown();

    /** @param flags libvirt's virDomainShutdownFlagValues bits, passed to the driver as they are */
    void shutdown(int flags);

    void reboot();

    /** @param flags libvirt's virDomainRebootFlagValues bits, passed to the driver as they are */
    void reboot(int flags);

    void suspend();

    void resume();

    /** Saves memory state to a file and stops the domain. */
    void save(String file);

    void save(String file, ProgressListener progress);

    /** Writes a core dump of the domain's memory to a file. */
    void coreDump(String file);

    void coreDump(String file, ProgressListener progress);

    void undefine();

    /** @param flags libvirt's virDomainUndefineFlagsValues bits, passed to the driver as they are */
    void undefine(int flags);

    /** The current background job (libvirt's virDomainGetJobInfo). */
    JobInfo getJobInfo();

    /** @param flags libvirt's virDomainGetJobStatsFlags (1: the last completed job) */
    JobStats getJobStats(int flags);

    /** Aborts the current background job (libvirt's virDomainAbortJob). */
    void abortJob();

    boolean getAutostart();

    void setAutostart(boolean autostart);

    // ---- resources -------------------------------------------------------------------------------

    long getMaxMemory();

    void setMaxMemory(long kib);

    void setMemory(long kib);

    void setMemory(long kib, Set<MemoryFlag> flags);

    void setVcpus(int count);

    void setVcpus(int count, Set<VcpuFlag> flags);

    int getMaxVcpus();

    List<VcpuInfo> getVcpus();

    void pinVcpu(int vcpu, BitSet cpus);

    String getSchedulerType();

    List<TypedParameter> getSchedulerParameters();

    void setSchedulerParameters(List<TypedParameter> params);

    // ---- devices and stats -----------------------------------------------------------------------

    void attachDevice(String xml);

    void attachDevice(String xml, Set<ModifyFlag> flags);

    void detachDevice(String xml);

    void detachDevice(String xml, Set<ModifyFlag> flags);

    BlockStats blockStats(String device);

    InterfaceStats interfaceStats(String device);

    // ---- what the hypervisor and the guest tell about the domain ----------------------------------

    /**
     * A vCPU count (libvirt's virDomainGetVcpusFlags): the current or, with {@link VcpuFlag#MAXIMUM}, the
     * maximum one, of the live or the persistent definition ({@link VcpuFlag#LIVE}, {@link VcpuFlag#CONFIG}).
     */
    int getVcpuCount(Set<VcpuFlag> flags);

    /** The balloon driver's statistics, at most {@link MemoryStat#NR} (libvirt's virDomainMemoryStats). */
    List<MemoryStat> memoryStats();

    /** The sizes of a disk, by target name or source path (libvirt's virDomainGetBlockInfo). */
    BlockInfo getBlockInfo(String disk);

    /** The state of the hypervisor's control interface (libvirt's virDomainGetControlInfo). */
    ControlInfo getControlInfo();

    /** The guest's clock (libvirt's virDomainGetTime); refused on a read-only connection. */
    DomainTime getTime();

    /** The guest's hostname (libvirt's virDomainGetHostname); refused on a read-only connection. */
    String getHostname();

    // ---- metadata ------------------------------------------------------------------------------------

    /**
     * The description, the title, or the {@code <metadata>} element of a namespace (then {@code uri} names
     * it; else it is null), of the live or the persistent definition (libvirt's virDomainGetMetadata).
     * NO_DOMAIN_METADATA when there is none.
     */
    String getMetadata(MetadataType type, String uri, Set<ModifyFlag> flags);

    /**
     * Sets (or, with a null {@code metadata}, removes) the description, the title, or the {@code <metadata>}
     * element of namespace {@code uri}, whose elements then take the prefix {@code key} (libvirt's
     * virDomainSetMetadata).
     */
    void setMetadata(MetadataType type, String metadata, String key, String uri, Set<ModifyFlag> flags);

    // ---- pinning -------------------------------------------------------------------------------------

    /**
     * Each vCPU's CPU affinity, as wide as the host's CPUs, of the live or the persistent definition
     * (libvirt's virDomainGetVcpuPinInfo, asked as virsh asks it).
     */
    List<BitSet> getVcpuPinInfo(Set<ModifyFlag> flags);

    /** Pins the emulator threads to host CPUs (libvirt's virDomainPinEmulator). */
    void pinEmulator(BitSet cpus, Set<ModifyFlag> flags);

    /** The emulator threads' CPU affinity, as wide as the host's CPUs (libvirt's virDomainGetEmulatorPinInfo). */
    BitSet getEmulatorPinInfo(Set<ModifyFlag> flags);

    // ---- migration -------------------------------------------------------------------------------

    /** Migrates to another connection; returns the domain there (libvirt's virDomainMigrate). */
    Domain migrate(Connect destination, Set<MigrateFlag> flags, String newName, String uri, long bandwidthMiBs,
            ProgressListener progress);

    /** Migrates to a destination URI (libvirt's virDomainMigrateToURI). */
    void migrateToURI(String destinationUri, Set<MigrateFlag> flags, String newName, long bandwidthMiBs,
            ProgressListener progress);
}
