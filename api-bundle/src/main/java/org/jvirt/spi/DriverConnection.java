package org.jvirt.spi;

import java.util.BitSet;
import java.util.List;
import java.util.UUID;

import org.jvirt.api.BlockInfo;
import org.jvirt.api.BlockStats;
import org.jvirt.api.ControlInfo;
import org.jvirt.api.CpuMap;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.DomainTime;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.MemoryStat;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.SecurityLabel;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One open connection of a driver: libvirt's hypervisor driver table. Each entry is one procedure of
 * libvirt's {@code remote_protocol.x}, named as libvirt names the driver entry, with that procedure's
 * arguments and flags ({@link Procedure} lists them). Every entry throws {@code NO_SUPPORT} unless a driver
 * implements it. The front end has already checked the arguments and the read-only flag; flags arrive as
 * libvirt's bit masks, unknown bits included, and a driver refuses bits it does not know with
 * {@link Procedure#unsupportedFlags}. Lookups throw {@code NO_DOMAIN} when nothing matches.
 */
@ConsumerType
public interface DriverConnection {

    // ---- the connection --------------------------------------------------------------------------

    /** The hypervisor type, e.g. "Test". */
    default String connectGetType() {
        throw VirtException.noSupport("virConnectGetType");
    }

    /** The canonical URI. */
    default String connectGetURI() {
        throw VirtException.noSupport("virConnectGetURI");
    }

    default long connectGetVersion() {
        throw VirtException.noSupport("virConnectGetVersion");
    }

    default String connectGetHostname() {
        throw VirtException.noSupport("virConnectGetHostname");
    }

    default int connectGetMaxVcpus(String type) {
        throw VirtException.noSupport("virConnectGetMaxVcpus");
    }

    default String connectGetCapabilities() {
        throw VirtException.noSupport("virConnectGetCapabilities");
    }

    default NodeInfo nodeGetInfo() {
        throw VirtException.noSupport("virNodeGetInfo");
    }

    default long nodeGetFreeMemory() {
        throw VirtException.noSupport("virNodeGetFreeMemory");
    }

    default CpuMap nodeGetCPUMap(int flags) {
        throw VirtException.noSupport("virNodeGetCPUMap");
    }

    default SecurityModel nodeGetSecurityModel() {
        throw VirtException.noSupport("virNodeGetSecurityModel");
    }

    default String connectGetSysinfo(int flags) {
        throw VirtException.noSupport("virConnectGetSysinfo");
    }

    /** The free memory of NUMA cells {@code startCell}.., at most {@code maxCells}, in bytes. */
    default long[] nodeGetCellsFreeMemory(int startCell, int maxCells) {
        throw VirtException.noSupport("virNodeGetCellsFreeMemory");
    }

    /** @param cpuNum a CPU, or {@link org.jvirt.api.NodeStat#ALL}; @param nparams 0 asks how many there are */
    default NodeStats nodeGetCPUStats(int cpuNum, int nparams, int flags) {
        throw VirtException.noSupport("virNodeGetCPUStats");
    }

    /** @param cellNum a NUMA cell, or {@link org.jvirt.api.NodeStat#ALL}; @param nparams 0 asks how many there are */
    default NodeStats nodeGetMemoryStats(int cellNum, int nparams, int flags) {
        throw VirtException.noSupport("virNodeGetMemoryStats");
    }

    /** The CPU models of an architecture; empty when any model is accepted. */
    default List<String> connectGetCPUModelNames(String arch, int flags) {
        throw VirtException.noSupport("virConnectGetCPUModelNames");
    }

    default boolean connectIsSecure() {
        throw VirtException.noSupport("virConnectIsSecure");
    }

    /** Answered by the transport, not by a procedure. */
    default boolean connectIsEncrypted() {
        throw VirtException.noSupport("virConnectIsEncrypted");
    }

    /** Answered by the transport (keepalive), not by a procedure. */
    default boolean connectIsAlive() {
        throw VirtException.noSupport("virConnectIsAlive");
    }

    /** Releases this connection; called once. */
    void connectClose();

    /** The network side of this connection, or null to let a secondary {@link NetworkDriver} serve it. */
    default NetworkConnection networks() {
        return null;
    }

    // ---- listing, lookup and creation ------------------------------------------------------------

    default int[] connectListDomains(int maxids) {
        throw VirtException.noSupport("virConnectListDomains");
    }

    default int connectNumOfDomains() {
        throw VirtException.noSupport("virConnectNumOfDomains");
    }

    default List<String> connectListDefinedDomains(int maxnames) {
        throw VirtException.noSupport("virConnectListDefinedDomains");
    }

    default int connectNumOfDefinedDomains() {
        throw VirtException.noSupport("virConnectNumOfDefinedDomains");
    }

    /** Domains matching the flags (libvirt's virConnectListAllDomainsFlags); see {@link DomainFilter}. */
    default List<DomainRef> connectListAllDomains(int flags) {
        throw VirtException.noSupport("virConnectListAllDomains");
    }

    default DomainRef domainLookupByID(int id) {
        throw VirtException.noSupport("virDomainLookupByID");
    }

    default DomainRef domainLookupByName(String name) {
        throw VirtException.noSupport("virDomainLookupByName");
    }

    default DomainRef domainLookupByUUID(UUID uuid) {
        throw VirtException.noSupport("virDomainLookupByUUID");
    }

    /** @param flags libvirt's virDomainDefineFlags */
    default DomainRef domainDefineXMLFlags(String xml, int flags) {
        throw VirtException.noSupport("virDomainDefineXMLFlags");
    }

    /** @param flags libvirt's virDomainCreateFlags */
    default DomainRef domainCreateXML(String xml, int flags) {
        throw VirtException.noSupport("virDomainCreateXML");
    }

    /** @param dxml a replacement domain XML, or null; @param flags virDomainSaveRestoreFlags */
    default void domainRestoreFlags(String from, String dxml, int flags) {
        throw VirtException.noSupport("virDomainRestoreFlags");
    }

    default String connectDomainXMLToNative(String nativeFormat, String xml, int flags) {
        throw VirtException.noSupport("virConnectDomainXMLToNative");
    }

    /** @return the domain XML of a native config, e.g. an xl.cfg ({@code xen-xl}) */
    default String connectDomainXMLFromNative(String nativeFormat, String nativeConfig, int flags) {
        throw VirtException.noSupport("virConnectDomainXMLFromNative");
    }

    // ---- one domain --------------------------------------------------------------------------------

    default String domainGetOSType(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetOSType");
    }

    default DomainInfo domainGetInfo(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetInfo");
    }

    default DomainStatus domainGetState(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainGetState");
    }

    default String domainGetXMLDesc(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainGetXMLDesc");
    }

    default boolean domainIsActive(DomainRef dom) {
        throw VirtException.noSupport("virDomainIsActive");
    }

    default SecurityLabel domainGetSecurityLabel(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetSecurityLabel");
    }

    default boolean domainIsPersistent(DomainRef dom) {
        throw VirtException.noSupport("virDomainIsPersistent");
    }

    default boolean domainHasManagedSaveImage(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainHasManagedSaveImage");
    }

    /** @param flags virDomainSaveRestoreFlags */
    default void domainManagedSave(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainManagedSave");
    }

    default void domainManagedSaveRemove(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainManagedSaveRemove");
    }

    default void domainRename(DomainRef dom, String newName, int flags) {
        throw VirtException.noSupport("virDomainRename");
    }

    default boolean domainIsUpdated(DomainRef dom) {
        throw VirtException.noSupport("virDomainIsUpdated");
    }

    /** Starts a defined domain; returns its ref with the new id. @param flags virDomainCreateFlags */
    default DomainRef domainCreateWithFlags(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainCreateWithFlags");
    }

    /** @param flags virDomainDestroyFlagsValues */
    default void domainDestroyFlags(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainDestroyFlags");
    }

    /** @param flags virDomainShutdownFlagValues */
    default void domainShutdownFlags(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainShutdownFlags");
    }

    /** @param flags virDomainRebootFlagValues */
    default void domainReboot(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainReboot");
    }

    default void domainSuspend(DomainRef dom) {
        throw VirtException.noSupport("virDomainSuspend");
    }

    default void domainResume(DomainRef dom) {
        throw VirtException.noSupport("virDomainResume");
    }

    /** Long: reports through {@link #domainGetJobInfo}. @param flags virDomainSaveRestoreFlags */
    default void domainSaveFlags(DomainRef dom, String to, String dxml, int flags) {
        throw VirtException.noSupport("virDomainSaveFlags");
    }

    /** Long: reports through {@link #domainGetJobInfo}. @param flags virDomainCoreDumpFlags */
    default void domainCoreDump(DomainRef dom, String to, int flags) {
        throw VirtException.noSupport("virDomainCoreDump");
    }

    /** @param flags virDomainUndefineFlagsValues */
    default void domainUndefineFlags(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainUndefineFlags");
    }

    default boolean domainGetAutostart(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetAutostart");
    }

    default void domainSetAutostart(DomainRef dom, boolean autostart) {
        throw VirtException.noSupport("virDomainSetAutostart");
    }

    default long domainGetMaxMemory(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetMaxMemory");
    }

    default void domainSetMaxMemory(DomainRef dom, long kib) {
        throw VirtException.noSupport("virDomainSetMaxMemory");
    }

    /** @param flags libvirt's virDomainMemoryModFlags */
    default void domainSetMemoryFlags(DomainRef dom, long kib, int flags) {
        throw VirtException.noSupport("virDomainSetMemoryFlags");
    }

    /** @param flags libvirt's virDomainVcpuFlags */
    default void domainSetVcpusFlags(DomainRef dom, int nvcpus, int flags) {
        throw VirtException.noSupport("virDomainSetVcpusFlags");
    }

    default int domainGetMaxVcpus(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetMaxVcpus");
    }

    /** @param maxinfo at most this many vCPUs; @param maplen bytes of CPU map per vCPU */
    default List<VcpuInfo> domainGetVcpus(DomainRef dom, int maxinfo, int maplen) {
        throw VirtException.noSupport("virDomainGetVcpus");
    }

    /** @param flags virDomainModificationImpact */
    default void domainPinVcpuFlags(DomainRef dom, int vcpu, BitSet cpumap, int flags) {
        throw VirtException.noSupport("virDomainPinVcpuFlags");
    }

    /**
     * The CPU maps of the first {@code ncpumaps} vCPUs, each cut to {@code maplen} bytes.
     * @param flags virDomainModificationImpact
     */
    default List<BitSet> domainGetVcpuPinInfo(DomainRef dom, int ncpumaps, int maplen, int flags) {
        throw VirtException.noSupport("virDomainGetVcpuPinInfo");
    }

    /** @param flags virDomainModificationImpact */
    default void domainPinEmulator(DomainRef dom, BitSet cpumap, int flags) {
        throw VirtException.noSupport("virDomainPinEmulator");
    }

    /**
     * The emulator threads' CPU map cut to {@code maplen} bytes, or null when the domain has none.
     * @param flags virDomainModificationImpact
     */
    default BitSet domainGetEmulatorPinInfo(DomainRef dom, int maplen, int flags) {
        throw VirtException.noSupport("virDomainGetEmulatorPinInfo");
    }

    /** @param type virDomainMetadataType; @param uri the namespace of an element, else null; @param flags virDomainModificationImpact */
    default String domainGetMetadata(DomainRef dom, int type, String uri, int flags) {
        throw VirtException.noSupport("virDomainGetMetadata");
    }

    /** @param metadata the new text or element, or null to remove it; @param key the element's namespace prefix */
    default void domainSetMetadata(DomainRef dom, int type, String metadata, String key, String uri, int flags) {
        throw VirtException.noSupport("virDomainSetMetadata");
    }

    default SchedulerType domainGetSchedulerType(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetSchedulerType");
    }

    /** @param nparams at most this many; @param flags virDomainModificationImpact */
    default List<TypedParameter> domainGetSchedulerParametersFlags(DomainRef dom, int nparams, int flags) {
        throw VirtException.noSupport("virDomainGetSchedulerParametersFlags");
    }

    /** @param flags virDomainModificationImpact */
    default void domainSetSchedulerParametersFlags(DomainRef dom, List<TypedParameter> params, int flags) {
        throw VirtException.noSupport("virDomainSetSchedulerParametersFlags");
    }

    /** @param flags libvirt's virDomainDeviceModifyFlags */
    default void domainAttachDeviceFlags(DomainRef dom, String xml, int flags) {
        throw VirtException.noSupport("virDomainAttachDeviceFlags");
    }

    /** @param flags libvirt's virDomainDeviceModifyFlags */
    default void domainDetachDeviceFlags(DomainRef dom, String xml, int flags) {
        throw VirtException.noSupport("virDomainDetachDeviceFlags");
    }

    default BlockStats domainBlockStats(DomainRef dom, String path) {
        throw VirtException.noSupport("virDomainBlockStats");
    }

    default InterfaceStats domainInterfaceStats(DomainRef dom, String device) {
        throw VirtException.noSupport("virDomainInterfaceStats");
    }

    /** @param flags virDomainVcpuFlags: LIVE, CONFIG, MAXIMUM, GUEST */
    default int domainGetVcpusFlags(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainGetVcpusFlags");
    }

    /** @param nrStats at most this many statistics */
    default List<MemoryStat> domainMemoryStats(DomainRef dom, int nrStats, int flags) {
        throw VirtException.noSupport("virDomainMemoryStats");
    }

    /** @param path a disk's target name or source path */
    default BlockInfo domainGetBlockInfo(DomainRef dom, String path, int flags) {
        throw VirtException.noSupport("virDomainGetBlockInfo");
    }

    default ControlInfo domainGetControlInfo(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainGetControlInfo");
    }

    default DomainTime domainGetTime(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainGetTime");
    }

    /** @param flags virDomainGetHostnameFlags: LEASE 1, AGENT 2 */
    default String domainGetHostname(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainGetHostname");
    }

    /**
     * Connects {@code stream} to a domain's console or serial device (null: the first console). The driver
     * binds the stream before it returns. @param flags virDomainConsoleFlags (FORCE 1, SAFE 2)
     */
    default void domainOpenConsole(DomainRef dom, String devName, StreamPeer stream, int flags) {
        throw VirtException.noSupport("virDomainOpenConsole");
    }

    // ---- jobs --------------------------------------------------------------------------------------

    default JobInfo domainGetJobInfo(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetJobInfo");
    }

    /** @param flags virDomainGetJobStatsFlags */
    default JobStats domainGetJobStats(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainGetJobStats");
    }

    default void domainAbortJob(DomainRef dom) {
        throw VirtException.noSupport("virDomainAbortJob");
    }

    // ---- migration (libvirt's v3 protocol: the front end drives the phases) ----------------------------

    /** Source: returns the XML to send, and a cookie. */
    default MigrationStep domainMigrateBegin3(DomainRef dom, String xmlin, int flags, String dname,
            long bandwidth) {
        throw VirtException.noSupport("virDomainMigrateBegin3");
    }

    /** Destination: gets ready to receive; returns the URI the source should send to, and a cookie. */
    default MigrationStep domainMigratePrepare3(byte[] cookieIn, String uriIn, int flags, String dname,
            long bandwidth, String domXml) {
        throw VirtException.noSupport("virDomainMigratePrepare3");
    }

    /** Source: sends the domain (a long job); returns a cookie for finish. */
    default byte[] domainMigratePerform3(DomainRef dom, String xmlin, byte[] cookieIn, String dconnuri,
            String uri, int flags, String dname, long bandwidth) {
        throw VirtException.noSupport("virDomainMigratePerform3");
    }

    /** Destination: starts (or, if cancelled, discards) the received domain; returns it and a cookie. */
    default MigrationFinish domainMigrateFinish3(String dname, byte[] cookieIn, String dconnuri, String uri,
            int flags, boolean cancelled) {
        throw VirtException.noSupport("virDomainMigrateFinish3");
    }

    /** Source: forgets the domain (or, if cancelled, resumes it). */
    default void domainMigrateConfirm3(DomainRef dom, byte[] cookieIn, int flags, boolean cancelled) {
        throw VirtException.noSupport("virDomainMigrateConfirm3");
    }

    // ---- events ------------------------------------------------------------------------------------

    /**
     * Someone now listens for events of this id (for one domain, or all when {@code dom} is null); the
     * driver pushes them into its {@link EventSink}. Returns the callback id.
     */
    default int connectDomainEventCallbackRegisterAny(int eventId, DomainRef dom) {
        throw VirtException.noSupport("virConnectDomainEventRegisterAny");
    }

    default void connectDomainEventCallbackDeregisterAny(int callbackId) {
        throw VirtException.noSupport("virConnectDomainEventDeregisterAny");
    }
}
