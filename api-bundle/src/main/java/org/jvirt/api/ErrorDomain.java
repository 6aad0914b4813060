package org.jvirt.api;

/** Where an error arose, numbered as libvirt's virErrorDomain. */
public enum ErrorDomain {
    NONE(0),
    XEN(1),
    XEND(2),
    XENSTORE(3),
    SEXPR(4),
    XML(5),
    DOM(6),
    RPC(7),
    PROXY(8),
    CONF(9),
    QEMU(10),
    NET(11),
    TEST(12),
    REMOTE(13),
    OPENVZ(14),
    XENXM(15),
    STATS_LINUX(16),
    LXC(17),
    STORAGE(18),
    NETWORK(19),
    DOMAIN(20),
    UML(21),
    NODEDEV(22),
    XEN_INOTIFY(23),
    SECURITY(24),
    VBOX(25),
    INTERFACE(26),
    ONE(27),
    ESX(28),
    PHYP(29),
    SECRET(30),
    CPU(31),
    XENAPI(32),
    NWFILTER(33),
    HOOK(34),
    DOMAIN_SNAPSHOT(35),
    AUDIT(36),
    SYSINFO(37),
    STREAMS(38),
    VMWARE(39),
    EVENT(40),
    LIBXL(41),
    LOCKING(42),
    HYPERV(43),
    CAPABILITIES(44),
    URI(45),
    AUTH(46),
    DBUS(47),
    PARALLELS(48),
    DEVICE(49),
    SSH(50),
    LOCKSPACE(51),
    INITCTL(52),
    IDENTITY(53),
    CGROUP(54),
    ACCESS(55),
    SYSTEMD(56),
    BHYVE(57),
    CRYPTO(58),
    FIREWALL(59),
    POLKIT(60),
    THREAD(61),
    ADMIN(62),
    LOGGING(63),
    XENXL(64),
    PERF(65),
    LIBSSH(66),
    RESCTRL(67),
    FIREWALLD(68),
    DOMAIN_CHECKPOINT(69),
    TPM(70),
    BPF(71),
    CH(72),
    /** A number this build has no constant for; the error keeps the number itself. */
    UNKNOWN(-1);

    private static final ErrorDomain[] BY_CODE = new ErrorDomain[73];

    static {
        for (ErrorDomain c : values()) {
            if (c.code >= 0 && BY_CODE[c.code] == null) {
                BY_CODE[c.code] = c;
            }
        }
    }

    private final int code;

    ErrorDomain(int code) {
        this.code = code;
    }

    /** The number libvirt uses on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a libvirt number, or {@link #UNKNOWN}. */
    public static ErrorDomain fromCode(int code) {
        ErrorDomain c = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return c != null ? c : UNKNOWN;
    }

    /**
     * The error domain libvirt reports an API's own errors from (its refusal when the driver lacks it, its
     * argument and read-only checks): VIR_FROM_THIS of the libvirt-*.c file that defines the API, e.g.
     * {@link #NETWORK} for virConnectListAllNetworks, {@link #DOMAIN} for virNodeGetInfo. {@link #NONE} for
     * virConnectOpen and virConnectClose, and for text that is no API name.
     */
    public static ErrorDomain ofApi(String api) {
        if (api == null || !api.matches("vir[A-Z][A-Za-z0-9]*")) {
            return NONE;
        }
        String rest = api.substring(3);
        if (rest.equals("ConnectOpen") || rest.equals("ConnectClose")) {
            return NONE;
        }
        if (rest.startsWith("Domain") && rest.contains("Snapshot")) {
            return DOMAIN_SNAPSHOT;
        }
        if (rest.startsWith("Domain") && rest.contains("Checkpoint")) {
            return DOMAIN_CHECKPOINT;
        }
        if (rest.startsWith("NWFilter") || rest.startsWith("Connect") && rest.contains("NWFilter")) {
            return NWFILTER;
        }
        if (rest.startsWith("NodeDevice") || rest.equals("NodeNumOfDevices") || rest.equals("NodeListDevices")
                || rest.startsWith("Connect") && rest.contains("NodeDevice")) {
            return NODEDEV;
        }
        if (rest.startsWith("Stream")) {
            return STREAMS;
        }
        if (!rest.startsWith("Domain") && !rest.startsWith("Node")) {
            String object = rest.startsWith("Connect") ? rest : rest.substring(0, Math.min(rest.length(), 9));
            if (object.contains("Network")) {
                return NETWORK;
            }
            if (object.contains("Storage")) {
                return STORAGE;
            }
            if (object.contains("Secret")) {
                return SECRET;
            }
            if (object.contains("Interface")) {
                return INTERFACE;
            }
        }
        return DOMAIN;
    }
}
