package org.jvirt.spi;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;

/**
 * The procedure table: each SPI entry with libvirt's procedure number and name from {@code remote_protocol.x}
 * (program REMOTE, 0x20008086 v1), and whether a read-only connection is refused it. One table drives the
 * remote client stub, the server's dispatch and the per-procedure read-only tests. Number 0 marks an entry
 * the transport answers itself (virConnectIsAlive, virConnectIsEncrypted).
 */
public enum Procedure {
    CONNECT_GET_TYPE(3, DriverConnection.class, "connectGetType", false),
    CONNECT_GET_VERSION(4, DriverConnection.class, "connectGetVersion", false),
    CONNECT_GET_HOSTNAME(59, DriverConnection.class, "connectGetHostname", false),
    CONNECT_GET_URI(110, DriverConnection.class, "connectGetURI", false),
    CONNECT_GET_MAX_VCPUS(5, DriverConnection.class, "connectGetMaxVcpus", false),
    CONNECT_GET_CAPABILITIES(7, DriverConnection.class, "connectGetCapabilities", false),
    NODE_GET_INFO(6, DriverConnection.class, "nodeGetInfo", false),
    NODE_GET_FREE_MEMORY(102, DriverConnection.class, "nodeGetFreeMemory", false),
    NODE_GET_CPU_MAP(293, DriverConnection.class, "nodeGetCPUMap", false),
    NODE_GET_SECURITY_MODEL(122, DriverConnection.class, "nodeGetSecurityModel", false),
    CONNECT_GET_SYSINFO(203, DriverConnection.class, "connectGetSysinfo", false),
    NODE_GET_CELLS_FREE_MEMORY(101, DriverConnection.class, "nodeGetCellsFreeMemory", false),
    NODE_GET_CPU_STATS(227, DriverConnection.class, "nodeGetCPUStats", false),
    NODE_GET_MEMORY_STATS(228, DriverConnection.class, "nodeGetMemoryStats", false),
    CONNECT_GET_CPU_MODEL_NAMES(312, DriverConnection.class, "connectGetCPUModelNames", false),
    CONNECT_IS_SECURE(149, DriverConnection.class, "connectIsSecure", false),
    CONNECT_IS_ENCRYPTED(0, DriverConnection.class, "connectIsEncrypted", false),
    CONNECT_CLOSE(2, DriverConnection.class, "connectClose", false),
    CONNECT_OPEN(1, Driver.class, "open", false),
    CONNECT_LIST_DOMAINS(37, DriverConnection.class, "connectListDomains", false),
    CONNECT_NUM_OF_DOMAINS(51, DriverConnection.class, "connectNumOfDomains", false),
    CONNECT_LIST_DEFINED_DOMAINS(21, DriverConnection.class, "connectListDefinedDomains", false),
    CONNECT_NUM_OF_DEFINED_DOMAINS(25, DriverConnection.class, "connectNumOfDefinedDomains", false),
    CONNECT_LIST_ALL_DOMAINS(273, DriverConnection.class, "connectListAllDomains", false),
    DOMAIN_LOOKUP_BY_ID(22, DriverConnection.class, "domainLookupByID", false),
    DOMAIN_LOOKUP_BY_NAME(23, DriverConnection.class, "domainLookupByName", false),
    DOMAIN_LOOKUP_BY_UUID(24, DriverConnection.class, "domainLookupByUUID", false),
    DOMAIN_DEFINE_XML_FLAGS(350, DriverConnection.class, "domainDefineXMLFlags", true),
    DOMAIN_CREATE_XML(10, DriverConnection.class, "domainCreateXML", true),
    DOMAIN_RESTORE_FLAGS(233, DriverConnection.class, "domainRestoreFlags", true),
    CONNECT_DOMAIN_XML_TO_NATIVE(136, DriverConnection.class, "connectDomainXMLToNative", true),
    CONNECT_DOMAIN_XML_FROM_NATIVE(135, DriverConnection.class, "connectDomainXMLFromNative", true),
    DOMAIN_GET_OS_TYPE(19, DriverConnection.class, "domainGetOSType", false),
    DOMAIN_GET_INFO(16, DriverConnection.class, "domainGetInfo", false),
    DOMAIN_GET_STATE(212, DriverConnection.class, "domainGetState", false),
    DOMAIN_GET_XML_DESC(14, DriverConnection.class, "domainGetXMLDesc", false),
    DOMAIN_IS_ACTIVE(150, DriverConnection.class, "domainIsActive", false),
    DOMAIN_GET_SECURITY_LABEL(121, DriverConnection.class, "domainGetSecurityLabel", false),
    DOMAIN_IS_PERSISTENT(151, DriverConnection.class, "domainIsPersistent", false),
    DOMAIN_OPEN_CONSOLE(201, DriverConnection.class, "domainOpenConsole", true),
    DOMAIN_HAS_MANAGED_SAVE_IMAGE(183, DriverConnection.class, "domainHasManagedSaveImage", false),
    DOMAIN_MANAGED_SAVE(182, DriverConnection.class, "domainManagedSave", true),
    DOMAIN_MANAGED_SAVE_REMOVE(184, DriverConnection.class, "domainManagedSaveRemove", true),
    DOMAIN_RENAME(358, DriverConnection.class, "domainRename", true),
    DOMAIN_IS_UPDATED(202, DriverConnection.class, "domainIsUpdated", false),
    DOMAIN_CREATE_WITH_FLAGS(196, DriverConnection.class, "domainCreateWithFlags", true),
    DOMAIN_DESTROY_FLAGS(234, DriverConnection.class, "domainDestroyFlags", true),
    DOMAIN_SHUTDOWN_FLAGS(258, DriverConnection.class, "domainShutdownFlags", true),
    DOMAIN_REBOOT(27, DriverConnection.class, "domainReboot", true),
    DOMAIN_SUSPEND(34, DriverConnection.class, "domainSuspend", true),
    DOMAIN_RESUME(28, DriverConnection.class, "domainResume", true),
    DOMAIN_SAVE_FLAGS(232, DriverConnection.class, "domainSaveFlags", true),
    DOMAIN_CORE_DUMP(53, DriverConnection.class, "domainCoreDump", true),
    DOMAIN_UNDEFINE_FLAGS(231, DriverConnection.class, "domainUndefineFlags", true),
    DOMAIN_GET_AUTOSTART(15, DriverConnection.class, "domainGetAutostart", false),
    DOMAIN_SET_AUTOSTART(29, DriverConnection.class, "domainSetAutostart", true),
    DOMAIN_GET_MAX_MEMORY(17, DriverConnection.class, "domainGetMaxMemory", false),
    DOMAIN_SET_MAX_MEMORY(30, DriverConnection.class, "domainSetMaxMemory", true),
    DOMAIN_SET_MEMORY_FLAGS(204, DriverConnection.class, "domainSetMemoryFlags", true),
    DOMAIN_SET_VCPUS_FLAGS(199, DriverConnection.class, "domainSetVcpusFlags", true),
    DOMAIN_GET_MAX_VCPUS(18, DriverConnection.class, "domainGetMaxVcpus", false),
    DOMAIN_GET_VCPUS(20, DriverConnection.class, "domainGetVcpus", false),
    DOMAIN_PIN_VCPU_FLAGS(225, DriverConnection.class, "domainPinVcpuFlags", true),
    DOMAIN_GET_VCPU_PIN_INFO(230, DriverConnection.class, "domainGetVcpuPinInfo", false),
    DOMAIN_PIN_EMULATOR(279, DriverConnection.class, "domainPinEmulator", true),
    DOMAIN_GET_EMULATOR_PIN_INFO(280, DriverConnection.class, "domainGetEmulatorPinInfo", false),
    DOMAIN_GET_METADATA(265, DriverConnection.class, "domainGetMetadata", false),
    DOMAIN_SET_METADATA(264, DriverConnection.class, "domainSetMetadata", true),
    DOMAIN_GET_SCHEDULER_TYPE(56, DriverConnection.class, "domainGetSchedulerType", false),
    DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS(223, DriverConnection.class, "domainGetSchedulerParametersFlags", false),
    DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS(219, DriverConnection.class, "domainSetSchedulerParametersFlags", true),
    DOMAIN_ATTACH_DEVICE_FLAGS(160, DriverConnection.class, "domainAttachDeviceFlags", true),
    DOMAIN_DETACH_DEVICE_FLAGS(161, DriverConnection.class, "domainDetachDeviceFlags", true),
    DOMAIN_BLOCK_STATS(64, DriverConnection.class, "domainBlockStats", false),
    DOMAIN_INTERFACE_STATS(65, DriverConnection.class, "domainInterfaceStats", false),
    DOMAIN_GET_VCPUS_FLAGS(200, DriverConnection.class, "domainGetVcpusFlags", false),
    DOMAIN_MEMORY_STATS(159, DriverConnection.class, "domainMemoryStats", false),
    DOMAIN_GET_BLOCK_INFO(194, DriverConnection.class, "domainGetBlockInfo", false),
    DOMAIN_GET_CONTROL_INFO(229, DriverConnection.class, "domainGetControlInfo", false),
    DOMAIN_GET_TIME(337, DriverConnection.class, "domainGetTime", true),
    DOMAIN_GET_HOSTNAME(277, DriverConnection.class, "domainGetHostname", true),
    DOMAIN_GET_JOB_INFO(163, DriverConnection.class, "domainGetJobInfo", false),
    DOMAIN_GET_JOB_STATS(298, DriverConnection.class, "domainGetJobStats", false),
    DOMAIN_ABORT_JOB(164, DriverConnection.class, "domainAbortJob", true),
    DOMAIN_MIGRATE_BEGIN3(213, DriverConnection.class, "domainMigrateBegin3", true),
    DOMAIN_MIGRATE_PREPARE3(214, DriverConnection.class, "domainMigratePrepare3", true),
    DOMAIN_MIGRATE_PERFORM3(216, DriverConnection.class, "domainMigratePerform3", true),
    DOMAIN_MIGRATE_FINISH3(217, DriverConnection.class, "domainMigrateFinish3", true),
    DOMAIN_MIGRATE_CONFIRM3(218, DriverConnection.class, "domainMigrateConfirm3", true),
    CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY(316, DriverConnection.class, "connectDomainEventCallbackRegisterAny", false),
    CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY(317, DriverConnection.class, "connectDomainEventCallbackDeregisterAny", false),
    CONNECT_NUM_OF_NETWORKS(52, NetworkConnection.class, "connectNumOfNetworks", false),
    CONNECT_LIST_NETWORKS(38, NetworkConnection.class, "connectListNetworks", false),
    CONNECT_NUM_OF_DEFINED_NETWORKS(50, NetworkConnection.class, "connectNumOfDefinedNetworks", false),
    CONNECT_LIST_DEFINED_NETWORKS(36, NetworkConnection.class, "connectListDefinedNetworks", false),
    CONNECT_LIST_ALL_NETWORKS(283, NetworkConnection.class, "connectListAllNetworks", false),
    NETWORK_LOOKUP_BY_NAME(46, NetworkConnection.class, "networkLookupByName", false),
    NETWORK_LOOKUP_BY_UUID(47, NetworkConnection.class, "networkLookupByUUID", false),
    NETWORK_DEFINE_XML_FLAGS(432, NetworkConnection.class, "networkDefineXMLFlags", true),
    NETWORK_CREATE_XML_FLAGS(437, NetworkConnection.class, "networkCreateXMLFlags", true),
    NETWORK_GET_XML_DESC(43, NetworkConnection.class, "networkGetXMLDesc", false),
    NETWORK_GET_BRIDGE_NAME(45, NetworkConnection.class, "networkGetBridgeName", false),
    NETWORK_IS_ACTIVE(152, NetworkConnection.class, "networkIsActive", false),
    NETWORK_IS_PERSISTENT(153, NetworkConnection.class, "networkIsPersistent", false),
    NETWORK_CREATE(39, NetworkConnection.class, "networkCreate", true),
    NETWORK_DESTROY(42, NetworkConnection.class, "networkDestroy", true),
    NETWORK_UNDEFINE(49, NetworkConnection.class, "networkUndefine", true),
    NETWORK_GET_AUTOSTART(44, NetworkConnection.class, "networkGetAutostart", false),
    NETWORK_SET_AUTOSTART(48, NetworkConnection.class, "networkSetAutostart", true),
    CONNECT_IS_ALIVE(0, DriverConnection.class, "connectIsAlive", false),
    NETWORK_CONNECT_CLOSE(2, NetworkConnection.class, "connectClose", false);

    /** libvirt's REMOTE program number and version. */
    public static final int REMOTE_PROGRAM = 0x20008086;
    public static final int REMOTE_VERSION = 1;

    private final int number;
    private final Class<?> owner;
    private final String method;
    private final boolean mutating;
    private final String apiName;

    Procedure(int number, Class<?> owner, String method, boolean mutating) {
        this.number = number;
        this.owner = owner;
        this.method = method;
        this.mutating = mutating;
        this.apiName = "vir" + Character.toUpperCase(method.charAt(0)) + method.substring(1);
    }

    /** libvirt's procedure number, or 0 for an entry no procedure carries. */
    public int number() {
        return number;
    }

    /** The SPI type that declares the entry: {@link Driver}, {@link DriverConnection} or {@link NetworkConnection}. */
    public Class<?> owner() {
        return owner;
    }

    /** The SPI method's name. */
    public String methodName() {
        return method;
    }

    /** Whether a read-only connection is refused this procedure. */
    public boolean isMutating() {
        return mutating;
    }

    /** libvirt's API function of the entry, e.g. {@code virDomainDestroyFlags}, for messages. */
    public String apiName() {
        return apiName;
    }

    /** libvirt's name of the procedure, e.g. {@code REMOTE_PROC_DOMAIN_DESTROY_FLAGS}. */
    public String procedureName() {
        return "REMOTE_PROC_" + (this == NETWORK_CONNECT_CLOSE ? "CONNECT_CLOSE" : name());
    }

    /** The SPI method this procedure calls (looked up once, when the table is loaded). */
    public Method method() {
        Method m = Methods.BY_PROCEDURE.get(this);
        if (m == null) {
            throw new IllegalStateException("no SPI method " + owner.getSimpleName() + "." + method);
        }
        return m;
    }

    /** Looked up when first asked for (a holder class): drivers that only check flags never pay for it. */
    private static final class Methods {
        static final Map<Procedure, Method> BY_PROCEDURE = methods();
    }

    private static Map<Procedure, Method> methods() {
        Map<Procedure, Method> m = new java.util.EnumMap<>(Procedure.class);
        Map<Class<?>, Method[]> byOwner = new HashMap<>();
        for (Procedure p : values()) {
            for (Method candidate : byOwner.computeIfAbsent(p.owner, Class::getMethods)) {
                if (candidate.getName().equals(p.method)) {
                    m.put(p, candidate);
                    break;
                }
            }
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static final Map<Integer, Procedure> BY_NUMBER = byNumber();

    private static Map<Integer, Procedure> byNumber() {
        Map<Integer, Procedure> m = new HashMap<>();
        for (Procedure p : values()) {
            if (p.number != 0 && p != NETWORK_CONNECT_CLOSE) {
                m.put(p.number, p);
            }
        }
        return Map.copyOf(m);
    }

    /** The procedure of a number, or null when the table has none. */
    public static Procedure byNumber(int number) {
        return BY_NUMBER.get(number);
    }

    /**
     * libvirt's refusal of flag bits a driver does not know (virCheckFlags): {@code INVALID_ARG},
     * "unsupported flags (0x…) in function NAME".
     */
    public static VirtException unsupportedFlags(int flags, String function) {
        return new VirtException(new VirtError(ErrorCode.INVALID_ARG, ErrorDomain.NONE,
                "unsupported flags (0x" + Integer.toHexString(flags) + ") in function " + function));
    }

    /**
     * As {@link #unsupportedFlags(int, String)}, from a driver's error domain; {@code function} is the
     * driver's own entry, as libvirt names it (e.g. {@code testDomainDestroyFlags}).
     */
    public static VirtException unsupportedFlags(int flags, ErrorDomain from, String function) {
        return new VirtException(new VirtError(ErrorCode.INVALID_ARG, from,
                "unsupported flags (0x" + Integer.toHexString(flags) + ") in function " + function));
    }

    /** Refuses the bits of {@code flags} outside {@code supported}, from a driver's error domain. */
    public static void checkFlags(int flags, int supported, ErrorDomain from, String function) {
        int unknown = flags & ~supported;
        if (unknown != 0) {
            throw unsupportedFlags(unknown, from, function);
        }
    }

    /** Refuses the bits of {@code flags} outside {@code supported}, as libvirt's virCheckFlags does. */
    public static void checkFlags(int flags, int supported, String function) {
        int unknown = flags & ~supported;
        if (unknown != 0) {
            throw unsupportedFlags(unknown, function);
        }
    }
}
