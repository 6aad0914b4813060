package org.jvirt.api;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jvirt.xml.CapabilitiesDef;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A connection to one hypervisor (libvirt's virConnect). Thread-safe; close it when done
 * ({@link #close()} is idempotent). Every call throws {@link VirtException} on failure.
 */
@ProviderType
public interface Connect extends AutoCloseable {

    // ---- opening -------------------------------------------------------------------------------

    /** Opens a read-write connection; a null or empty URI picks the default (see the README). */
    static Connect open(String uri) {
        return FrontEnd.instance().open(uri, null, Set.of());
    }

    static Connect openReadOnly(String uri) {
        return FrontEnd.instance().open(uri, null, Set.of(OpenFlag.READ_ONLY));
    }

    /** Opens with a callback that answers the driver's credential requests. */
    static Connect open(String uri, ConnectAuth auth, Set<OpenFlag> flags) {
        return FrontEnd.instance().open(uri, auth, flags);
    }

    /** libvirt-compatible version of this library: major * 1,000,000 + minor * 1,000 + release. */
    static long libraryVersion() {
        return 9_000_000L;
    }

    /** The drivers known to this process: active ones first, best ranking first, then rejected ones. */
    static List<DriverInfo> listDrivers() {
        return FrontEnd.instance().listDrivers();
    }

    // ---- errors ----------------------------------------------------------------------------------

    /** The last error reported on this thread, or null (libvirt's virGetLastError). */
    static VirtError lastError() {
        return FrontEnd.instance().lastError();
    }

    static void resetThreadLastError() {
        FrontEnd.instance().resetLastError();
    }

    /** Adds a listener told of every error on every connection (libvirt's virSetErrorFunc). */
    static void addGlobalErrorListener(ErrorListener listener) {
        FrontEnd.instance().addGlobalErrorListener(listener);
    }

    static void removeGlobalErrorListener(ErrorListener listener) {
        FrontEnd.instance().removeGlobalErrorListener(listener);
    }

    /** Adds a listener told of errors on this connection (libvirt's virConnSetErrorFunc). */
    void addErrorListener(ErrorListener listener);

    void removeErrorListener(ErrorListener listener);

    /** The last error reported on this connection, or null (libvirt's virConnGetLastError). */
    VirtError getLastError();

    void resetLastError();

    // ---- the connection ----------------------------------------------------------------------------

    /** The hypervisor type, e.g. "Test" or "QEMU". */
    String getType();

    /** The hypervisor version, as major * 1,000,000 + minor * 1,000 + release. */
    long getVersion();

    long getLibVersion();

    String getHostname();

    /** The canonical URI of this connection. */
    String getURI();

    int getMaxVcpus(String type);

    String getCapabilities();

    CapabilitiesDef getCapabilitiesDef();

    NodeInfo nodeInfo();

    long getFreeMemory();

    /** The host's CPUs and which are online. */
    CpuMap getCPUMap();

    /** The host's SMBIOS information as libvirt's sysinfo XML (libvirt's virConnectGetSysinfo). */
    String getSysinfo();

    /** The free memory of NUMA cells from {@code startCell}, at most {@code maxCells}, in bytes (virNodeGetCellsFreeMemory). */
    long[] getCellsFreeMemory(int startCell, int maxCells);

    /** The CPU time counters of one CPU or of all ({@link NodeStat#ALL}), in nanoseconds (virNodeGetCPUStats). */
    List<NodeStat> nodeCPUStats(int cpuNum);

    /** The memory counters of one NUMA cell or of all ({@link NodeStat#ALL}), in KiB (virNodeGetMemoryStats). */
    List<NodeStat> nodeMemoryStats(int cellNum);

    /** The CPU models the hypervisor knows for an architecture; empty when it takes any (virConnectGetCPUModelNames). */
    List<String> getCPUModelNames(String arch);

    /** The host's security model; empty strings where it has none. */
    SecurityModel getSecurityModel();

    boolean isAlive();

    boolean isSecure();

    boolean isEncrypted();

    boolean isReadOnly();

    @Override
    void close();

    /**
     * Opens this connection's URI again, with the same flags and credentials, for an application whose
     * peer went away (see {@link #addCloseListener}) or whose driver was removed and deployed again. The
     * connection's event and close listeners stay registered and are served by the new connection;
     * {@link Domain} and {@link Network} objects obtained before go on working through it. The old
     * driver connection is closed. Fails with INVALID_CONN after {@link #close()}, and as
     * {@code Connect.open} does when the URI cannot be opened (the connection then stays as it was).
     */
    void reconnect();

    /** Registers a listener told when the connection's peer goes away (virConnectRegisterCloseCallback). */
    void addCloseListener(ConnectCloseListener listener);

    void removeCloseListener(ConnectCloseListener listener);

    // ---- domains ---------------------------------------------------------------------------------

    /** Ids of running domains. */
    int[] listDomains();

    int numOfDomains();

    /** Names of defined, inactive domains. */
    List<String> listDefinedDomains();

    int numOfDefinedDomains();

    /** All domains matching every given flag group (libvirt's virConnectListAllDomains). */
    List<Domain> listAllDomains(Set<ListDomainsFlag> flags);

    default List<Domain> listAllDomains() {
        return listAllDomains(Set.of());
    }

    Domain lookupById(int id);

    Domain lookupByName(String name);

    Domain lookupByUUID(UUID uuid);

    Domain lookupByUUIDString(String uuid);

    /** Defines (or redefines) a persistent domain without starting it. */
    Domain defineXML(String xml);

    /** @param flags libvirt's virDomainDefineFlags bits, passed to the driver as they are */
    Domain defineXML(String xml, int flags);

    /** Creates and starts a transient domain. */
    Domain createXML(String xml);

    /** Creates and starts a transient domain with options, e.g. {@link CreateFlag#PAUSED}. */
    Domain createXML(String xml, Set<CreateFlag> flags);

    /** Old name of {@link #createXML(String)} (libvirt's virDomainCreateLinux). */
    default Domain createLinux(String xml) {
        return createXML(xml);
    }

    /** Restores a domain saved with {@link Domain#save(String)}. */
    void restore(String file);

    void restore(String file, ProgressListener progress);

    /** Converts domain XML to the hypervisor's native config, e.g. "qemu-argv". */
    String domainXMLToNative(String nativeFormat, String xml);

    /** Converts a native config, e.g. an xl.cfg ("xen-xl"), to domain XML. */
    String domainXMLFromNative(String nativeFormat, String nativeConfig);

    // ---- networks --------------------------------------------------------------------------------

    List<String> listNetworks();

    int numOfNetworks();

    List<String> listDefinedNetworks();

    int numOfDefinedNetworks();

    List<Network> listAllNetworks(Set<ListNetworksFlag> flags);

    Network networkLookupByName(String name);

    Network networkLookupByUUID(UUID uuid);

    Network networkLookupByUUIDString(String uuid);

    Network networkDefineXML(String xml);

    /** @param flags libvirt's virNetworkDefineFlags bits (VALIDATE is 1), passed to the driver as they are */
    Network networkDefineXML(String xml, int flags);

    Network networkCreateXML(String xml);

    /** @param flags libvirt's virNetworkCreateFlags bits (VALIDATE is 1), passed to the driver as they are */
    Network networkCreateXML(String xml, int flags);

    // ---- events ----------------------------------------------------------------------------------

    void addDomainEventListener(DomainEventListener listener);

    void removeDomainEventListener(DomainEventListener listener);
}
