package org.jvirt.xml;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jvirt.xml.CapabilitiesDef.Cell;
import org.jvirt.xml.CapabilitiesDef.Guest;
import org.jvirt.xml.CapabilitiesDef.GuestDomain;
import org.jvirt.xml.CapabilitiesDef.Host;
import org.jvirt.xml.CapabilitiesDef.Machine;
import org.jvirt.xml.CapabilitiesDef.SecModel;

/** Parses and formats capabilities XML in libvirt's layout. */
public final class CapabilitiesXml {
    private CapabilitiesXml() {
    }

    public static CapabilitiesDef parse(String xml) {
        XmlNode root = XmlIn.read(xml, "capabilities");
        if (!root.getName().equals("capabilities")) {
            throw XmlIn.xmlError("unexpected root element <" + root.getName() + ">, expecting <capabilities>");
        }
        CapabilitiesDef caps = new CapabilitiesDef();
        for (XmlNode c : root.getChildren()) {
            if (c.getName().equals("host")) {
                parseHost(caps.getHost(), c);
            } else if (c.getName().equals("guest")) {
                caps.getGuests().add(parseGuest(c));
            }
        }
        return caps;
    }

    private static int intAttr(XmlNode n, String key) {
        String v = n.attr(key);
        return v == null ? 0 : XmlIn.integer(v, key);
    }

    private static void parseHost(Host h, XmlNode n) {
        for (XmlNode c : n.getChildren()) {
            switch (c.getName()) {
                case "uuid":
                    if (c.getText() != null && !c.getText().isBlank()) {
                        h.setUuid(XmlIn.uuid(c.getText(), "uuid"));
                    }
                    break;
                case "cpu":
                    for (XmlNode x : c.getChildren()) {
                        switch (x.getName()) {
                            case "arch": h.setArch(XmlIn.trimToNull(x.getText())); break;
                            case "features":
                                for (XmlNode f : x.getChildren()) {
                                    h.getFeatures().add(f.getName());
                                }
                                break;
                            case "model": h.setCpuModel(XmlIn.trimToNull(x.getText())); break;
                            case "vendor": h.setCpuVendor(XmlIn.trimToNull(x.getText())); break;
                            case "topology":
                                h.setTopology(new CapabilitiesDef.Topology(intAttr(x, "sockets"), intAttr(x, "dies"),
                                    intAttr(x, "clusters"), intAttr(x, "cores"), intAttr(x, "threads")));
                                break;
                            case "maxphysaddr": h.setMaxPhysAddr(x); break;
                            case "feature": h.getCpuFeatures().add(x.attr("name")); break;
                            case "pages":
                                h.getPageSizesKiB().add(XmlIn.number(x.attr("size"), "pages size")
                                    * XmlIn.unitScale(x.attr("unit") == null ? "KiB" : x.attr("unit"), "pages") / 1024);
                                break;
                            default: h.getCpuMisc().add(x);
                        }
                    }
                    break;
                case "power_management": h.setPowerManagement(c); break;
                case "iommu": h.setIommu(c); break;
                case "migration_features":
                    h.setMigrationFeatures(true);
                    for (XmlNode x : c.getChildren()) {
                        if (x.getName().equals("live")) {
                            h.setMigrationLive(true);
                        } else if (x.getName().equals("uri_transports")) {
                            for (XmlNode t : x.getChildren()) {
                                h.getMigrationTransports().add(t.getText() == null ? "" : t.getText().trim());
                            }
                        }
                    }
                    break;
                case "topology":
                    h.setTopologyElement(true);
                    XmlNode cells = c.child("cells");
                    if (cells != null) {
                        for (XmlNode cell : cells.children("cell")) {
                            h.getCells().add(parseCell(cell));
                        }
                    }
                    break;
                case "cache": h.setCache(c); break;
                case "memory_bandwidth": h.setMemoryBandwidth(c); break;
                case "secmodel": {
                    SecModel s = new SecModel(c.childText("model"), c.childText("doi"));
                    for (XmlNode b : c.children("baselabel")) {
                        s.getBaseLabels().put(b.attr("type"), b.getText() == null ? "" : b.getText().trim());
                    }
                    h.getSecModels().add(s);
                    break;
                }
                default:
                    break;
            }
        }
    }

    private static Cell parseCell(XmlNode n) {
        Cell cell = new Cell();
        cell.setId(intAttr(n, "id"));
        for (XmlNode x : n.getChildren()) {
            switch (x.getName()) {
                case "memory": cell.setMemoryKiB(XmlIn.memoryKiB(x, "memory")); break;
                case "pages": cell.getPages().add(x); break;
                case "distances": cell.setDistances(x); break;
                case "cpus":
                    for (XmlNode cpu : x.children("cpu")) {
                        cell.getCpus().add(new LinkedHashMap<>(cpu.getAttributes()));
                    }
                    break;
                default:
                    break;
            }
        }
        return cell;
    }

    private static Machine machine(XmlNode m) {
        Map<String, String> other = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.getAttributes().entrySet()) {
            if (!e.getKey().equals("canonical") && !e.getKey().equals("maxCpus")) {
                other.put(e.getKey(), e.getValue());
            }
        }
        return new Machine(m.getText() == null ? "" : m.getText().trim(), m.attr("canonical"),
            intAttr(m, "maxCpus"), other.isEmpty() ? Map.of() : other);
    }

    private static Guest parseGuest(XmlNode n) {
        Guest g = new Guest();
        for (XmlNode c : n.getChildren()) {
            switch (c.getName()) {
                case "os_type": g.setOsType(XmlIn.trimToNull(c.getText())); break;
                case "arch":
                    g.setArch(c.attr("name"));
                    for (XmlNode x : c.getChildren()) {
                        switch (x.getName()) {
                            case "wordsize": g.setWordsize(XmlIn.integer(x.getText(), "wordsize")); break;
                            case "emulator": g.setEmulator(XmlIn.trimToNull(x.getText())); break;
                            case "loader": g.setLoader(XmlIn.trimToNull(x.getText())); break;
                            case "machine": g.getMachines().add(machine(x)); break;
                            case "domain": {
                                GuestDomain d = new GuestDomain(x.attr("type"));
                                d.setEmulator(x.childText("emulator"));
                                for (XmlNode m : x.children("machine")) {
                                    d.getMachines().add(machine(m));
                                }
                                g.getDomains().add(d);
                                break;
                            }
                            default:
                                break;
                        }
                    }
                    break;
                case "features":
                    g.setFeaturesElement(true);
                    g.getFeatures().addAll(c.getChildren());
                    break;
                default:
                    break;
            }
        }
        return g;
    }

    public static String format(CapabilitiesDef caps) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<capabilities>\n\n  <host>\n");
        Host h = caps.getHost();
        if (h.getUuid() != null) {
            XmlOut.elem(sb, 4, "uuid", h.getUuid().toString());
        }
        sb.append("    <cpu>\n");
        XmlOut.elem(sb, 6, "arch", h.getArch());
        if (!h.getFeatures().isEmpty()) {
            sb.append("      <features>\n");
            for (String f : h.getFeatures()) {
                sb.append("        <").append(f).append("/>\n");
            }
            sb.append("      </features>\n");
        }
        XmlOut.elem(sb, 6, "model", h.getCpuModel());
        XmlOut.elem(sb, 6, "vendor", h.getCpuVendor());
        for (XmlNode x : h.getCpuMisc()) {
            x.format(sb, 6);
        }
        CapabilitiesDef.Topology t = h.getTopology();
        if (t != null) {
            sb.append("      <topology");
            XmlOut.attr(sb, "sockets", t.sockets());
            if (t.dies() > 0) {
                XmlOut.attr(sb, "dies", t.dies());
            }
            if (t.clusters() > 0) {
                XmlOut.attr(sb, "clusters", t.clusters());
            }
            XmlOut.attr(sb, "cores", t.cores());
            XmlOut.attr(sb, "threads", t.threads());
            sb.append("/>\n");
        }
        if (h.getMaxPhysAddr() != null) {
            h.getMaxPhysAddr().format(sb, 6);
        }
        for (String f : h.getCpuFeatures()) {
            XmlOut.empty(sb, 6, "feature", "name", f);
        }
        for (Long p : h.getPageSizesKiB()) {
            sb.append("      <pages unit='KiB' size='").append(p).append("'/>\n");
        }
        sb.append("    </cpu>\n");
        if (h.getPowerManagement() != null) {
            h.getPowerManagement().format(sb, 4);
        }
        if (h.getIommu() != null) {
            h.getIommu().format(sb, 4);
        }
        if (h.hasMigrationFeatures()) {
            sb.append("    <migration_features>\n");
            if (h.isMigrationLive()) {
                sb.append("      <live/>\n");
            }
            if (!h.getMigrationTransports().isEmpty()) {
                sb.append("      <uri_transports>\n");
                for (String tr : h.getMigrationTransports()) {
                    XmlOut.elem(sb, 8, "uri_transport", tr);
                }
                sb.append("      </uri_transports>\n");
            }
            sb.append("    </migration_features>\n");
        }
        if (h.hasTopologyElement()) {
            sb.append("    <topology>\n      <cells num='").append(h.getCells().size()).append("'>\n");
            for (Cell c : h.getCells()) {
                sb.append("        <cell id='").append(c.getId()).append("'>\n");
                if (c.getMemoryKiB() >= 0) {
                    sb.append("          <memory unit='KiB'>").append(c.getMemoryKiB()).append("</memory>\n");
                }
                for (XmlNode p : c.getPages()) {
                    p.format(sb, 10);
                }
                if (c.getDistances() != null) {
                    c.getDistances().format(sb, 10);
                }
                sb.append("          <cpus num='").append(c.getCpus().size()).append("'>\n");
                for (Map<String, String> cpu : c.getCpus()) {
                    sb.append("            <cpu");
                    for (Map.Entry<String, String> e : cpu.entrySet()) {
                        XmlOut.attr(sb, e.getKey(), e.getValue());
                    }
                    sb.append("/>\n");
                }
                sb.append("          </cpus>\n        </cell>\n");
            }
            sb.append("      </cells>\n    </topology>\n");
        }
        if (h.getCache() != null) {
            h.getCache().format(sb, 4);
        }
        if (h.getMemoryBandwidth() != null) {
            h.getMemoryBandwidth().format(sb, 4);
        }
        for (SecModel s : h.getSecModels()) {
            sb.append("    <secmodel>\n");
            sb.append("      <model>");
            XmlOut.text(sb, s.getModel() == null ? "" : s.getModel());
            sb.append("</model>\n      <doi>");
            XmlOut.text(sb, s.getDoi() == null ? "" : s.getDoi());
            sb.append("</doi>\n");
            for (Map.Entry<String, String> e : s.getBaseLabels().entrySet()) {
                sb.append("      <baselabel");
                XmlOut.attr(sb, "type", e.getKey());
                sb.append('>');
                XmlOut.text(sb, e.getValue());
                sb.append("</baselabel>\n");
            }
            sb.append("    </secmodel>\n");
        }
        sb.append("  </host>\n\n");
        for (Guest g : caps.getGuests()) {
            sb.append("  <guest>\n");
            XmlOut.elem(sb, 4, "os_type", g.getOsType());
            sb.append("    <arch");
            XmlOut.attr(sb, "name", g.getArch());
            sb.append(">\n");
            if (g.getWordsize() > 0) {
                sb.append("      <wordsize>").append(g.getWordsize()).append("</wordsize>\n");
            }
            XmlOut.elem(sb, 6, "emulator", g.getEmulator());
            XmlOut.elem(sb, 6, "loader", g.getLoader());
            for (Machine m : g.getMachines()) {
                formatMachine(sb, 6, m);
            }
            for (GuestDomain d : g.getDomains()) {
                sb.append("      <domain");
                XmlOut.attr(sb, "type", d.getType());
                if (d.getEmulator() == null && d.getMachines().isEmpty()) {
                    sb.append("/>\n");
                } else {
                    sb.append(">\n");
                    XmlOut.elem(sb, 8, "emulator", d.getEmulator());
                    for (Machine m : d.getMachines()) {
                        formatMachine(sb, 8, m);
                    }
                    sb.append("      </domain>\n");
                }
            }
            sb.append("    </arch>\n");
            if (g.hasFeaturesElement()) {
                sb.append("    <features>\n");
                for (XmlNode f : g.getFeatures()) {
                    f.format(sb, 6);
                }
                sb.append("    </features>\n");
            }
            sb.append("  </guest>\n\n");
        }
        sb.append("</capabilities>\n");
        return sb.toString();
    }

    private static void formatMachine(StringBuilder sb, int indent, Machine m) {
        XmlOut.indent(sb, indent);
        sb.append("<machine");
        XmlOut.attr(sb, "canonical", m.canonical());
        if (m.maxCpus() > 0) {
            XmlOut.attr(sb, "maxCpus", m.maxCpus());
        }
        if (m.otherAttributes() != null) {
            for (Map.Entry<String, String> e : m.otherAttributes().entrySet()) {
                XmlOut.attr(sb, e.getKey(), e.getValue());
            }
        }
        sb.append('>');
        XmlOut.text(sb, m.name());
        sb.append("</machine>\n");
    }
}
