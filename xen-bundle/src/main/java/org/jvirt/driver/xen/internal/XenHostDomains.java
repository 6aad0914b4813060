package org.jvirt.driver.xen.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.VirtException;
import org.jvirt.driver.xen.internal.libxl.XlDomain;
import org.jvirt.spi.DomainRef;
import org.jvirt.driver.xen.internal.xenstore.XenStore;
import org.jvirt.driver.xen.internal.xenstore.XenStoreException;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * The domains the Xen host runs, as the driver sees them: the hypervisor's list ({@code xl list -v}, i.e.
 * libxl_list_domain) joined with what the toolstack wrote to xenstore under {@code /local/domain/ID}
 * (name, {@code memory/static-max}, {@code memory/target}, {@code cpu/N/availability}) and
 * {@code /libxl/ID/type}. A running domain whose UUID the driver has defined becomes that domain, active; any
 * other (Domain-0, or a guest that {@code xl create} started) becomes a transient domain; one that is gone
 * is shut off again (or forgotten, if transient).
 */
final class XenHostDomains {
    static final String DOM0_NAME = "Domain-0";

    private final XenHost host;
    /** One sync at a time: a listing older than the one applied must not be applied after it. */
    private final Object syncLock = new Object();
    /** Whether a first listing was taken: the domains found then were running before, no event is due. */
    private boolean baseline;

    XenHostDomains(XenHost host) {
        this.host = host;
    }

    /** A lifecycle event found by a sync, sent once the sync is done. */
    private record Found(DomainRef ref, DomainEventType type, int detail) {
    }

    /**
     * Brings the driver's domain list up to date with the hypervisor's; a domain found running that was not
     * (after the first listing) is STARTED/BOOTED, one no longer listed is STOPPED: SHUTDOWN or CRASHED as it
     * was last seen, else DESTROYED.
     */
    void sync() {
        List<Found> found = new ArrayList<>();
        synchronized (syncLock) {
            sync(found);
            baseline = true;
        }
        for (Found f : found) {
            host.eventHub.lifecycle(f.ref(), f.type(), f.detail());
        }
    }

    private void sync(List<Found> found) {
        List<XlDomain> running = host.xl.list();
        Map<String, String> info = null;
        synchronized (host.registration) {
            Set<XenDomain> seen = new HashSet<>();
            for (XlDomain x : running) {
                XenDomain d = host.domains.findByUUID(x.uuid());
                if (x.id() == 0) {
                    d = host.domains.findByName(DOM0_NAME);
                }
                if (d != null && d.isActive() && d.id != x.id()) {
                    d = null; // a UUID reused by another domain id: not the same domain
                }
                if (d == null) {
                    if (info == null && x.id() == 0) {
                        info = host.xl.info();
                    }
                    DomainDef def = liveDef(x, info);
                    if (def == null) {
                        continue; // no name in xenstore yet (being built) or no longer (being destroyed)
                    }
                    d = new XenDomain(x.id() == 0 ? def : null); // libvirt keeps Domain-0 persistent
                    d.live = def;
                    try {
                        host.domains.add(d);
                    } catch (VirtException e) {
                        continue; // its name or UUID is a defined domain's: it cannot be shown beside it
                    }
                    d.id = x.id();
                    if (baseline) {
                        found.add(new Found(d.ref(), DomainEventType.STARTED, DomainEventType.STARTED_BOOTED));
                    }
                } else if (!d.isActive()) {
                    d.live = d.persistent.copy();
                    d.id = x.id();
                    if (baseline) {
                        found.add(new Found(d.ref(), DomainEventType.STARTED, DomainEventType.STARTED_BOOTED));
                    }
                }
                d.info = x;
                DomainState s = state(x);
                if (s != d.state) {
                    d.state = s;
                    d.reason = 0; // found so, as libvirt's libxl driver's "unknown" reason for a reconnected domain
                }
                seen.add(d);
            }
            for (XenDomain d : new ArrayList<>(host.domains.all())) {
                if (d.isActive() && !seen.contains(d) && !d.ending) {
                    XlDomain last = d.info;
                    int detail = last != null && last.crashed() ? DomainEventType.STOPPED_CRASHED
                            : last != null && last.shutdown() ? DomainEventType.STOPPED_SHUTDOWN
                            : DomainEventType.STOPPED_DESTROYED;
                    DomainRef ref = d.ref();
                    gone(d, DomainStatus.SHUTOFF_UNKNOWN);
                    if (baseline) {
                        found.add(new Found(ref, DomainEventType.STOPPED, detail));
                    }
                }
            }
        }
    }

    /** A domain that no longer runs: shut off, or forgotten if transient. */
    void gone(XenDomain d, int reason) {
        d.id = -1;
        d.info = null;
        d.live = null;
        d.state = DomainState.SHUTOFF;
        d.reason = reason;
        if (!d.isPersistent()) {
            host.domains.remove(d);
        }
    }

    /** libvirt's libxl driver's view of a domain it finds running: suspended, paused, else running. */
    private static DomainState state(XlDomain x) {
        if (x.shutdown() || x.dying()) {
            return x.crashed() ? DomainState.CRASHED : DomainState.SHUTDOWN;
        }
        if (x.paused()) {
            return DomainState.PAUSED;
        }
        return DomainState.RUNNING;
    }

    /**
     * The definition of a domain jvirt did not start, from what xenstore holds of it (Domain-0 as libvirt's
     * libxl driver describes it: all host memory as its maximum unless {@code dom0_mem=max:} says otherwise).
     */
    private DomainDef liveDef(XlDomain x, Map<String, String> info) {
        XenStore xs = host.store();
        String base = "/local/domain/" + x.id();
        String name = x.id() == 0 ? DOM0_NAME : xs.readOrNull(base + "/name");
        if (name == null || name.isEmpty()) {
            return null;
        }
        long current = x.memKiB();
        long max;
        String os = "linux";
        if (x.id() == 0) {
            max = dom0Max(info, current);
        } else {
            current = number(xs.readOrNull(base + "/memory/target"), current);
            max = number(xs.readOrNull(base + "/memory/static-max"), Math.max(current, x.memKiB()));
            String type = xs.readOrNull("/libxl/" + x.id() + "/type");
            os = "hvm".equals(type) ? "hvm" : "pvh".equals(type) ? "xenpvh" : "linux";
        }
        int vcpus = x.vcpus();
        int maxVcpus = vcpus;
        List<String> cpus = directory(xs, base + "/cpu");
        if (!cpus.isEmpty()) {
            maxVcpus = cpus.size();
            vcpus = 0;
            for (String c : cpus) {
                if ("online".equals(xs.readOrNull(base + "/cpu/" + c + "/availability"))) {
                    vcpus++;
                }
            }
        }
        StringBuilder xml = new StringBuilder("<domain type='xen'>\n  <name>").append(name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
                .append("</name>\n  <uuid>").append(x.uuid()).append("</uuid>\n  <memory unit='KiB'>").append(max)
                .append("</memory>\n  <currentMemory unit='KiB'>").append(current).append("</currentMemory>\n")
                .append("  <vcpu placement='static'").append(maxVcpus != vcpus ? " current='" + vcpus + "'" : "")
                .append('>').append(maxVcpus).append("</vcpu>\n  <os>\n    <type>").append(os)
                .append("</type>\n  </os>\n  <clock offset='utc'/>\n  <on_poweroff>destroy</on_poweroff>\n")
                .append("  <on_reboot>destroy</on_reboot>\n  <on_crash>destroy</on_crash>\n  <devices>\n")
                .append("  </devices>\n</domain>\n");
        return DomainXml.parse(xml.toString());
    }

    /** Domain-0's maximum: {@code dom0_mem=max:SIZE} on Xen's command line, else the host's memory. */
    static long dom0Max(Map<String, String> info, long current) {
        for (String tok : info.getOrDefault("xen_commandline", "").split(" ")) {
            if (!tok.startsWith("dom0_mem=")) {
                continue;
            }
            for (String part : tok.substring("dom0_mem=".length()).split(",")) {
                if (part.startsWith("max:")) {
                    String v = part.substring(4);
                    int end = 0;
                    while (end < v.length() && Character.isDigit(v.charAt(end))) {
                        end++;
                    }
                    long n = Long.parseLong(v.substring(0, end));
                    char unit = end < v.length() ? Character.toLowerCase(v.charAt(end)) : 'k';
                    return switch (unit) {
                        case 'm' -> n * 1024;
                        case 'g' -> n * 1024 * 1024;
                        case 't' -> n * 1024 * 1024 * 1024;
                        default -> n;
                    };
                }
            }
        }
        String total = info.get("total_memory");
        return total == null ? current : Long.parseLong(total) * 1024;
    }

    private static long number(String s, long dflt) {
        try {
            return s == null ? dflt : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static List<String> directory(XenStore xs, String path) {
        try {
            return xs.directory(path);
        } catch (XenStoreException e) {
            if ("ENOENT".equals(e.errno())) {
                return List.of();
            }
            throw e;
        }
    }
}
