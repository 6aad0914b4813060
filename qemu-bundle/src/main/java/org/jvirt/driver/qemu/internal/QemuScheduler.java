package org.jvirt.driver.qemu.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VirtException;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.XmlNode;

/**
 * Scheduler parameters as libvirt's QEMU driver presents them (type "posix"): cpu_shares, then period and
 * quota of the vCPUs, the emulator, the whole domain (global) and the iothreads. Live values live in the
 * domain's cpu cgroup ({@link QemuCgroup}); the persistent ones in {@code <cputune>}.
 *
 * <p>This driver runs no iothread cgroups: as libvirt does for a domain without iothreads, iothread_period
 * and iothread_quota read the domain's own group, and setting them live changes nothing but the XML.
 */
final class QemuScheduler {
    private QemuScheduler() {
    }

    /** Parameter name, its type, and its {@code <cputune>} element, in libvirt's order. */
    private record Param(String name, TypedParameter.Type type, String element) {
    }

    private static final List<Param> PARAMS = List.of(
            new Param("cpu_shares", TypedParameter.Type.ULLONG, "shares"),
            new Param("vcpu_period", TypedParameter.Type.ULLONG, "period"),
            new Param("vcpu_quota", TypedParameter.Type.LLONG, "quota"),
            new Param("emulator_period", TypedParameter.Type.ULLONG, "emulator_period"),
            new Param("emulator_quota", TypedParameter.Type.LLONG, "emulator_quota"),
            new Param("global_period", TypedParameter.Type.ULLONG, "global_period"),
            new Param("global_quota", TypedParameter.Type.LLONG, "global_quota"),
            new Param("iothread_period", TypedParameter.Type.ULLONG, "iothread_period"),
            new Param("iothread_quota", TypedParameter.Type.LLONG, "iothread_quota"));

    /** How many parameters there are (virDomainGetSchedulerType's nparams). */
    static int count() {
        return PARAMS.size();
    }

    /** The order of libvirt's {@code <cputune>} scalar children. */
    private static final List<String> ELEMENTS = PARAMS.stream().map(Param::element).toList();

    private static Param param(String name) {
        for (Param p : PARAMS) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        return null;
    }

    // ---- reading -------------------------------------------------------------------------------------

    /** Live values, read back from the cgroup files. */
    static List<TypedParameter> live(QemuCgroup cg) {
        String vcpu = cg.vcpuGroups().isEmpty() ? null : cg.vcpuGroups().get(0);
        long[] v = {cg.shares(), cg.period(vcpu), cg.quota(vcpu), cg.period("emulator"), cg.quota("emulator"),
            cg.period(null), cg.quota(null), cg.period(null), cg.quota(null)};
        List<TypedParameter> out = new ArrayList<>();
        for (int i = 0; i < PARAMS.size(); i++) {
            out.add(new TypedParameter(PARAMS.get(i).name, PARAMS.get(i).type, v[i]));
        }
        return out;
    }

    /** Config values from {@code <cputune>}; 0 where unset, as libvirt reports them. */
    static List<TypedParameter> config(DomainDef def) {
        Map<String, Long> tune = cputune(def);
        List<TypedParameter> out = new ArrayList<>();
        for (Param p : PARAMS) {
            out.add(new TypedParameter(p.name, p.type, tune.getOrDefault(p.element, 0L)));
        }
        return out;
    }

    private static XmlNode cputuneNode(DomainDef def) {
        for (XmlNode x : def.getExtraElements()) {
            if (x.getName().equals("cputune")) {
                return x;
            }
        }
        return null;
    }

    /** The scalar values of {@code <cputune>}, by element name. */
    static Map<String, Long> cputune(DomainDef def) {
        Map<String, Long> out = new LinkedHashMap<>();
        XmlNode n = cputuneNode(def);
        if (n == null) {
            return out;
        }
        for (String e : ELEMENTS) {
            String t = n.childText(e);
            if (t != null) {
                try {
                    out.put(e, Long.parseLong(t));
                } catch (NumberFormatException ex) {
                    throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.QEMU,
                            "invalid value '" + t + "' of <cputune><" + e + ">");
                }
            }
        }
        return out;
    }

    static boolean hasCputune(DomainDef def) {
        return cputune(def).values().stream().anyMatch(v -> v != 0);
    }

    // ---- validating ----------------------------------------------------------------------------------

    /** Checks names, types and ranges (libvirt's messages); returns the values by parameter name. */
    static Map<String, Long> validate(List<TypedParameter> params) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TypedParameter tp : params) {
            Param p = param(tp.name());
            if (p == null) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                        "parameter '" + tp.name() + "' not supported");
            }
            if (tp.type() != p.type || !(tp.value() instanceof Long)) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "invalid type '"
                        + tp.type().name().toLowerCase(Locale.ROOT) + "' for parameter '" + tp.name()
                        + "', expected '" + p.type.name().toLowerCase(Locale.ROOT) + "'");
            }
            long v = (Long) tp.value();
            if (p.name.equals("cpu_shares")) {
                if (Long.compareUnsigned(v, QemuCgroup.SHARES_MIN) < 0
                        || Long.compareUnsigned(v, QemuCgroup.SHARES_MAX) > 0) {
                    throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU, "shares '"
                            + Long.toUnsignedString(v) + "' must be in range [" + QemuCgroup.SHARES_MIN + ", "
                            + QemuCgroup.SHARES_MAX + "]");
                }
            } else if (p.type == TypedParameter.Type.ULLONG) {
                if (v != 0 && (Long.compareUnsigned(v, QemuCgroup.PERIOD_MIN) < 0
                        || Long.compareUnsigned(v, QemuCgroup.PERIOD_MAX) > 0)) {
                    throw range(p.name, QemuCgroup.PERIOD_MIN, QemuCgroup.PERIOD_MAX);
                }
            } else if (v > 0 && v < QemuCgroup.QUOTA_MIN || v > QemuCgroup.QUOTA_MAX) {
                throw range(p.name, QemuCgroup.QUOTA_MIN, QemuCgroup.QUOTA_MAX);
            }
            out.put(p.name, v);
        }
        return out;
    }

    private static VirtException range(String name, long min, long max) {
        return new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.QEMU,
                "value of '" + name + "' is out of range [" + min + ", " + max + "]");
    }

    // ---- applying ------------------------------------------------------------------------------------

    /**
     * Writes validated values to a running domain's cgroup. A period or quota of 0 means "leave as is"
     * (as in libvirt); periods are written before quotas.
     */
    static void applyLive(QemuCgroup cg, Map<String, Long> values) {
        Long shares = values.get("cpu_shares");
        if (shares != null) {
            cg.setShares(shares);
        }
        List<String> vcpus = cg.vcpuGroups();
        String[][] order = {{"global_period", null}, {"global_quota", null}, {"vcpu_period", "vcpu"},
            {"vcpu_quota", "vcpu"}, {"emulator_period", "emulator"}, {"emulator_quota", "emulator"}};
        for (String[] o : order) {
            Long v = values.get(o[0]);
            if (v == null || v == 0) {
                continue;
            }
            List<String> groups = o[1] == null ? java.util.Collections.singletonList(null)
                    : o[1].equals("vcpu") ? vcpus : List.of(o[1]);
            for (String g : groups) {
                if (o[0].endsWith("_period")) {
                    cg.setPeriod(g, v);
                } else {
                    cg.setQuota(g, v);
                }
            }
        }
    }

    /** Applies a definition's {@code <cputune>} values to a freshly started domain's cgroup. */
    static void applyCputune(QemuCgroup cg, DomainDef def) {
        Map<String, Long> tune = cputune(def);
        if (tune.isEmpty()) {
            return;
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (Param p : PARAMS) {
            Long v = tune.get(p.element);
            if (v != null && (v != 0 || !p.name.equals("cpu_shares"))) {
                values.put(p.name, v);
            }
        }
        List<TypedParameter> typed = new ArrayList<>();
        values.forEach((k, v) -> typed.add(new TypedParameter(k, param(k).type, v)));
        applyLive(cg, validate(typed));
    }

    /** Records values in a definition's {@code <cputune>}, in libvirt's element order. */
    static void store(DomainDef def, Map<String, Long> values) {
        XmlNode n = cputuneNode(def);
        if (n == null) {
            n = new XmlNode("cputune");
            def.getExtraElements().add(n);
        }
        Map<String, Long> scalars = cputune(def);
        for (Map.Entry<String, Long> e : values.entrySet()) {
            Param p = param(e.getKey());
            if (p.name.equals("cpu_shares") || e.getValue() != 0) {
                scalars.put(p.element, e.getValue());
            }
        }
        List<XmlNode> rest = new ArrayList<>();
        for (XmlNode c : n.getChildren()) {
            if (!ELEMENTS.contains(c.getName())) {
                rest.add(c);
            }
        }
        n.getChildren().clear();
        for (String e : ELEMENTS) {
            Long v = scalars.get(e);
            if (v != null) {
                XmlNode c = new XmlNode(e);
                c.setText(e.equals("shares") || e.endsWith("period") ? Long.toUnsignedString(v) : Long.toString(v));
                n.add(c);
            }
        }
        n.getChildren().addAll(rest);
    }
}
