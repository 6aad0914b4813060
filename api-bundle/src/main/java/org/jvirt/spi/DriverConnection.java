package org.jvirt.spi;

import java.util.BitSet;
import java.util.List;
import java.util.UUID;

import org.jvirt.api.BlockStats;
import org.jvirt.api.CpuMap;
import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.InterfaceStats;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.ProgressListener;
import org.jvirt.api.SecurityLabel;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VcpuInfo;
import org.jvirt.api.VirtException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One open connection of a driver. Every entry defaults to {@code NO_SUPPORT}. The front end has
 * already checked arguments and the read-only flag; flags arrive as libvirt's bit masks.
 * Lookups throw {@code NO_DOMAIN} when nothing matches.
 */
@ConsumerType
public interface DriverConnection {

    // ---- the connection --------------------------------------------------------------------------

    /** The hypervisor type, e.g. "Test". */
    String type();

    /** The canonical URI. */
    String uri();

    default long version() {
        throw VirtException.noSupport("virConnectGetVersion");
    }

    /** The host's name; by default this machine's, as most libvirt drivers answer. */
    default String hostname() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e2) {
                throw new VirtException(org.jvirt.api.ErrorCode.SYSTEM_ERROR, org.jvirt.api.ErrorDomain.NONE,
                        "cannot find the host name: " + e2.getMessage());
            }
        }
    }

    default int maxVcpus(String type) {
        throw VirtException.noSupport("virConnectGetMaxVcpus");
    }

    default String capabilities() {
        throw VirtException.noSupport("virConnectGetCapabilities");
    }

    default NodeInfo nodeInfo() {
        throw VirtException.noSupport("virNodeGetInfo");
    }

    default long freeMemory() {
        throw VirtException.noSupport("virNodeGetFreeMemory");
    }

    default CpuMap cpuMap() {
        throw VirtException.noSupport("virNodeGetCPUMap");
    }

    /** The host's security model; the default says it has none. */
    default SecurityModel securityModel() {
        return new SecurityModel("", "");
    }

    default boolean isSecure() {
        return true;
    }

    default boolean isEncrypted() {
        return false;
    }

    default boolean isAlive() {
        return true;
    }

    /** Releases this connection; called once. */
    void close();

    /** The network side of this connection, or null to let a secondary {@link NetworkDriver} serve it. */
    default NetworkConnection networks() {
        return null;
    }

    // ---- listing, lookup and creation ------------------------------------------------------------

    default int[] listDomainIds() {
        throw VirtException.noSupport("virConnectListDomains");
    }

    default int numOfDomains() {
        return listDomainIds().length;
    }

    default List<String> listDefinedDomainNames() {
        throw VirtException.noSupport("virConnectListDefinedDomains");
    }

    default int numOfDefinedDomains() {
        return listDefinedDomainNames().size();
    }

    /** Domains matching the flags (libvirt's virConnectListAllDomainsFlags); see {@link DomainFilter}. */
    default List<DomainRef> listAllDomains(int flags) {
        throw VirtException.noSupport("virConnectListAllDomains");
    }

    default DomainRef lookupById(int id) {
        throw VirtException.noSupport("virDomainLookupByID");
    }

    default DomainRef lookupByName(String name) {
        throw VirtException.noSupport("virDomainLookupByName");
    }

    default DomainRef lookupByUUID(UUID uuid) {
        throw VirtException.noSupport("virDomainLookupByUUID");
    }

    default DomainRef defineXML(String xml) {
        throw VirtException.noSupport("virDomainDefineXML");
    }

    default DomainRef createXML(String xml) {
        throw VirtException.noSupport("virDomainCreateXML");
    }

    /** @param flags libvirt's virDomainCreateFlags; the default takes none */
    default DomainRef createXML(String xml, int flags) {
        if (flags == 0) {
            return createXML(xml);
        }
        throw unsupportedFlags(flags, "virDomainCreateXML");
    }

    /** libvirt's refusal of flags a driver does not know. */
    static VirtException unsupportedFlags(int flags, String function) {
        return new VirtException(new org.jvirt.api.VirtError(org.jvirt.api.ErrorCode.INVALID_ARG,
                org.jvirt.api.ErrorDomain.NONE,
                "unsupported flags (0x" + Integer.toHexString(flags) + ") in function " + function));
    }

    default DomainRef restore(String file, ProgressListener progress) {
        throw VirtException.noSupport("virDomainRestore");
    }

    default String domainXMLToNative(String nativeFormat, String xml) {
        throw VirtException.noSupport("virConnectDomainXMLToNative");
    }

    // ---- one domain --------------------------------------------------------------------------------

    default String osType(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetOSType");
    }

    default DomainInfo info(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetInfo");
    }

    default DomainStatus state(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetState");
    }

    default String xmlDesc(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainGetXMLDesc");
    }

    default boolean isActive(DomainRef dom) {
        return state(dom).state().isActive();
    }

    default SecurityLabel securityLabel(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetSecurityLabel");
    }

    default boolean isPersistent(DomainRef dom) {
        throw VirtException.noSupport("virDomainIsPersistent");
    }

    /** Starts a defined domain; returns its ref with the new id. */
    default DomainRef create(DomainRef dom) {
        throw VirtException.noSupport("virDomainCreate");
    }

    /** @param flags libvirt's virDomainCreateFlags; the default takes none */
    default DomainRef create(DomainRef dom, int flags) {
        if (flags == 0) {
            return create(dom);
        }
        throw unsupportedFlags(flags, "virDomainCreateWithFlags");
    }

    default void destroy(DomainRef dom) {
        throw VirtException.noSupport("virDomainDestroy");
    }

    default void shutdown(DomainRef dom) {
        throw VirtException.noSupport("virDomainShutdown");
    }

    default void reboot(DomainRef dom) {
        throw VirtException.noSupport("virDomainReboot");
    }

    default void suspend(DomainRef dom) {
        throw VirtException.noSupport("virDomainSuspend");
    }

    default void resume(DomainRef dom) {
        throw VirtException.noSupport("virDomainResume");
    }

    default void save(DomainRef dom, String file, ProgressListener progress) {
        throw VirtException.noSupport("virDomainSave");
    }

    default void coreDump(DomainRef dom, String file, ProgressListener progress) {
        throw VirtException.noSupport("virDomainCoreDump");
    }

    default void undefine(DomainRef dom) {
        throw VirtException.noSupport("virDomainUndefine");
    }

    default boolean getAutostart(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetAutostart");
    }

    default void setAutostart(DomainRef dom, boolean autostart) {
        throw VirtException.noSupport("virDomainSetAutostart");
    }

    default long maxMemory(DomainRef dom) {
        return info(dom).maxMemKiB();
    }

    default void setMaxMemory(DomainRef dom, long kib) {
        throw VirtException.noSupport("virDomainSetMaxMemory");
    }

    /** @param flags libvirt's virDomainMemoryModFlags */
    default void setMemory(DomainRef dom, long kib, int flags) {
        throw VirtException.noSupport("virDomainSetMemory");
    }

    /** @param flags libvirt's virDomainVcpuFlags */
    default void setVcpus(DomainRef dom, int count, int flags) {
        throw VirtException.noSupport("virDomainSetVcpus");
    }

    default int maxVcpus(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetMaxVcpus");
    }

    default List<VcpuInfo> vcpus(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetVcpus");
    }

    default void pinVcpu(DomainRef dom, int vcpu, BitSet cpus) {
        throw VirtException.noSupport("virDomainPinVcpu");
    }

    default String schedulerType(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetSchedulerType");
    }

    default List<TypedParameter> schedulerParameters(DomainRef dom) {
        throw VirtException.noSupport("virDomainGetSchedulerParameters");
    }

    default void setSchedulerParameters(DomainRef dom, List<TypedParameter> params) {
        throw VirtException.noSupport("virDomainSetSchedulerParameters");
    }

    /** @param flags libvirt's virDomainDeviceModifyFlags */
    default void attachDevice(DomainRef dom, String xml, int flags) {
        throw VirtException.noSupport("virDomainAttachDevice");
    }

    default void detachDevice(DomainRef dom, String xml, int flags) {
        throw VirtException.noSupport("virDomainDetachDevice");
    }

    default BlockStats blockStats(DomainRef dom, String device) {
        throw VirtException.noSupport("virDomainBlockStats");
    }

    default InterfaceStats interfaceStats(DomainRef dom, String device) {
        throw VirtException.noSupport("virDomainInterfaceStats");
    }

    // ---- migration (libvirt's v3 protocol: the front end drives the phases) ----------------------------

    /** Source: returns the XML to send, and a cookie. */
    default MigrationStep migrateBegin(DomainRef dom, int flags) {
        throw VirtException.noSupport("virDomainMigrate");
    }

    /** Destination: gets ready to receive; returns the URI the source should send to, and a cookie. */
    default MigrationStep migratePrepare(String xml, byte[] cookie, String uri, int flags, String newName) {
        throw VirtException.noSupport("virDomainMigrate");
    }

    /** Source: sends the domain; returns a cookie for finish. */
    default byte[] migratePerform(DomainRef dom, String uri, byte[] cookie, int flags, long bandwidthMiBs,
            ProgressListener progress) {
        throw VirtException.noSupport("virDomainMigrate");
    }

    /** Destination: starts (or, if cancelled, discards) the received domain. */
    default DomainRef migrateFinish(String name, byte[] cookie, int flags, boolean cancelled) {
        throw VirtException.noSupport("virDomainMigrate");
    }

    /** Source: forgets the domain (or, if cancelled, resumes it). */
    default void migrateConfirm(DomainRef dom, byte[] cookie, int flags, boolean cancelled) {
        throw VirtException.noSupport("virDomainMigrate");
    }
}
