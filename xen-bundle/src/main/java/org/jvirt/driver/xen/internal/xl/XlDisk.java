package org.jvirt.driver.xen.internal.xl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * One disk spec of xl's {@code disk=} list (xl-disk-configuration(5)): {@code key=value} parameters and
 * the positional {@code target, format, vdev, access}, with the legacy {@code phy:}/{@code file:} target
 * prefixes and the {@code vdev:cdrom} suffix.
 */
public record XlDisk(String target, String format, String vdev, boolean readwrite, String backendtype,
        boolean cdrom) {
    private static final Set<String> FORMATS = Set.of("raw", "qcow", "qcow2", "vhd", "qed", "empty");
    private static final Set<String> ACCESS = Set.of("r", "ro", "w", "rw");

    public static XlDisk parse(String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        String target = null;
        String format = null;
        String vdev = null;
        String access = null;
        String[] parts = spec.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (p.startsWith("target=")) {
                // target is the last parameter and may itself hold commas
                StringBuilder t = new StringBuilder(p.substring(7));
                for (int j = i + 1; j < parts.length; j++) {
                    t.append(',').append(parts[j]);
                }
                target = t.toString();
                break;
            }
            if (eq > 0) {
                kv.put(p.substring(0, eq), p.substring(eq + 1));
            } else if (p.isEmpty()) {
                continue;
            } else if (FORMATS.contains(p) && format == null) {
                format = p;
            } else if (ACCESS.contains(p) && access == null) {
                access = p;
            } else if (vdev == null && p.matches("(xvd|hd|sd|vd)[a-z]+[0-9]*(:cdrom|:disk)?")) {
                vdev = p;
            } else if (target == null) {
                target = p;
            } else {
                throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL,
                        "cannot make sense of '" + p + "' in disk spec '" + spec + "'");
            }
        }
        format = kv.getOrDefault("format", format);
        vdev = kv.getOrDefault("vdev", vdev);
        access = kv.getOrDefault("access", access);
        String backend = kv.get("backendtype");
        boolean cdrom = "cdrom".equals(kv.get("devtype"));
        if (vdev != null && vdev.endsWith(":cdrom")) {
            vdev = vdev.substring(0, vdev.length() - 6);
            cdrom = true;
        } else if (vdev != null && vdev.endsWith(":disk")) {
            vdev = vdev.substring(0, vdev.length() - 5);
        }
        if (target != null) {
            if (target.startsWith("phy:")) {
                backend = backend == null ? "phy" : backend;
                target = target.substring(4);
            } else if (target.startsWith("file:")) {
                target = target.substring(5);
            } else if (target.startsWith("tap:aio:") || target.startsWith("tap2:aio:")) {
                target = target.substring(target.indexOf("aio:") + 4);
            } else if (target.startsWith("tap:qcow2:")) {
                format = "qcow2";
                target = target.substring(10);
            }
        }
        if (vdev == null) {
            throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL, "disk spec '" + spec + "' has no vdev");
        }
        boolean rw = access == null ? !cdrom : access.startsWith("w") || access.equals("rw");
        return new XlDisk(target == null ? "" : target, format == null ? "raw" : format, vdev, rw, backend, cdrom);
    }

    /** The spec as libvirt writes it: {@code format=,vdev=,access=,backendtype=,devtype=,target=}. */
    public String spec() {
        StringBuilder sb = new StringBuilder();
        sb.append("format=").append(format).append(",vdev=").append(vdev).append(",access=")
                .append(readwrite ? "rw" : "ro");
        if (backendtype != null) {
            sb.append(",backendtype=").append(backendtype);
        }
        if (cdrom) {
            sb.append(",devtype=cdrom");
        }
        if (!target.isEmpty()) {
            sb.append(",target=").append(target);
        }
        return sb.toString();
    }
}
