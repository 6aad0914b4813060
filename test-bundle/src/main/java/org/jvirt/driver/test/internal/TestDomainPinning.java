package org.jvirt.driver.test.internal;

import static org.jvirt.spi.Procedure.checkFlags;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.Bitmaps;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.XmlNode;

/**
 * CPU affinity as libvirt 9.0's test driver keeps it, in the definitions: a vCPU's is the definition's
 * {@code <cputune><vcpupin>} (virDomainPinVcpuFlags sets the live one's), the emulator's its
 * {@code <cputune><emulatorpin>}; else the {@code <vcpu cpuset>}, else every host CPU.
 */
final class TestDomainPinning {
    private static final int MODIFY_FLAGS = ModifyFlag.LIVE.bit() | ModifyFlag.CONFIG.bit();

    private final TestHost host;

    TestDomainPinning(TestHost host) {
        this.host = host;
    }

    List<BitSet> vcpuPinInfo(DomainRef dom, int ncpumaps, int maplen, int flags) {
        synchronized (host) {
            TestDomain d = host.domains.get(dom);
            boolean live = DomainList.modificationImpact(d, flags).live();
            DomainDef def = live ? d.live : d.persistent;
            List<BitSet> out = new ArrayList<>();
            for (int i = 0; i < def.getVcpus() && i < ncpumaps; i++) {
                BitSet map = vcpupin(def, i);
                if (map == null) {
                    map = defaultMap(def);
                }
                out.add(cut(map, maplen));
            }
            return out;
        }
    }

    void pinEmulator(DomainRef dom, BitSet cpumap, int flags) {
        checkFlags(flags, MODIFY_FLAGS, ErrorDomain.TEST, "testDomainPinEmulator");
        synchronized (host) {
            TestDomain d = host.domains.get(dom);
            DomainDef def = DomainList.modificationImpact(d, flags).live() ? d.live : d.persistent;
            if (cpumap.isEmpty()) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST, "Empty cpu list for pinning");
            }
            XmlNode cputune = cputune(def, true);
            XmlNode pin = cputune.child("emulatorpin");
            if (pin == null) {
                pin = new XmlNode("emulatorpin");
                insertInOrder(cputune, pin);
            }
            pin.attr("cpuset", Bitmaps.format(cpumap));
        }
    }

    BitSet emulatorPinInfo(DomainRef dom, int maplen, int flags) {
        checkFlags(flags, MODIFY_FLAGS, ErrorDomain.TEST, "testDomainGetEmulatorPinInfo");
        synchronized (host) {
            TestDomain d = host.domains.get(dom);
            DomainDef def = DomainList.modificationImpact(d, flags).live() ? d.live : d.persistent;
            XmlNode cputune = cputune(def, false);
            BitSet map = cputune == null || cputune.child("emulatorpin") == null ? null
                    : Bitmaps.parse(cputune.child("emulatorpin").attr("cpuset"));
            return cut(map != null ? map : defaultMap(def), maplen);
        }
    }

    /** Sets a vCPU's {@code <cputune><vcpupin>} in a definition. */
    static void setVcpupin(DomainDef def, int vcpu, BitSet cpus) {
        XmlNode cputune = cputune(def, true);
        cputune.getChildren().removeIf(n -> n.getName().equals("vcpupin") && String.valueOf(vcpu).equals(n.attr("vcpu")));
        insertInOrder(cputune, new XmlNode("vcpupin").attr("vcpu", String.valueOf(vcpu))
                .attr("cpuset", Bitmaps.format(cpus)));
    }

    /** libvirt's order of {@code <cputune>}'s children; vcpupins by vCPU. */
    private static final List<String> CPUTUNE_ORDER = List.of("shares", "period", "quota", "global_period",
            "global_quota", "emulator_period", "emulator_quota", "iothread_period", "iothread_quota", "vcpupin",
            "emulatorpin", "iothreadpin", "vcpusched", "iothreadsched", "emulatorsched", "cachetune", "memorytune");

    private static void insertInOrder(XmlNode cputune, XmlNode child) {
        List<XmlNode> children = cputune.getChildren();
        int rank = CPUTUNE_ORDER.indexOf(child.getName());
        int at = children.size();
        for (int i = 0; i < children.size(); i++) {
            XmlNode c = children.get(i);
            int r = CPUTUNE_ORDER.indexOf(c.getName());
            boolean laterVcpu = r == rank && rank == CPUTUNE_ORDER.indexOf("vcpupin")
                    && Integer.parseInt(c.attr("vcpu")) > Integer.parseInt(child.attr("vcpu"));
            if (r > rank || laterVcpu) {
                at = i;
                break;
            }
        }
        children.add(at, child);
    }

    /** A vCPU's {@code <cputune><vcpupin vcpu='i' cpuset='...'/>}, or null. */
    static BitSet vcpupin(DomainDef def, int vcpu) {
        XmlNode cputune = cputune(def, false);
        if (cputune == null) {
            return null;
        }
        for (XmlNode pin : cputune.children("vcpupin")) {
            if (String.valueOf(vcpu).equals(pin.attr("vcpu"))) {
                return Bitmaps.parse(pin.attr("cpuset"));
            }
        }
        return null;
    }

    /** The definition's {@code <vcpu cpuset>}, else every CPU of the host (VIR_NODEINFO_MAXCPUS). */
    private BitSet defaultMap(DomainDef def) {
        BitSet cpuset = Bitmaps.parse(def.getCpuset());
        if (cpuset != null) {
            return cpuset;
        }
        NodeInfo n = host.node;
        BitSet all = new BitSet();
        all.set(0, n.nodes() * n.sockets() * n.cores() * n.threads());
        return all;
    }

    private static XmlNode cputune(DomainDef def, boolean create) {
        for (XmlNode n : def.getExtraElements()) {
            if (n.getName().equals("cputune")) {
                return n;
            }
        }
        if (!create) {
            return null;
        }
        XmlNode n = new XmlNode("cputune");
        def.getExtraElements().add(n);
        return n;
    }

    private static BitSet cut(BitSet map, int maplen) {
        BitSet b = (BitSet) map.clone();
        if (maplen >= 0 && b.length() > maplen * 8L) {
            b.clear(maplen * 8, b.length());
        }
        return b;
    }
}
