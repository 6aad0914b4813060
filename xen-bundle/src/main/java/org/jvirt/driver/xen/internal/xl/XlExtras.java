package org.jvirt.driver.xen.internal.xl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.xml.ControllerDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.GenericDeviceDef;
import org.jvirt.xml.GraphicsDef;
import org.jvirt.xml.InputDef;
import org.jvirt.xml.XmlNode;

/**
 * The xl.cfg settings beyond the basic guest that libvirt's xen-xl format knows, both ways: the Xen
 * hypervisor features ({@code passthrough}, {@code e820_host} as {@code <features><xen>}), PCI and USB host
 * devices ({@code pci}, {@code usbdev} as {@code <hostdev>}), USB inputs ({@code usb}/{@code usbdevice}) and
 * controllers ({@code usbctrl}), spice, vNUMA ({@code vnuma} as {@code <cpu><numa>}), {@code rbd:} disk
 * targets as network disks and {@code device_model_args} as the {@code xen:commandline} namespace. Written
 * from xl.cfg(5) and the behaviour of libvirt's converter (what it accepts, what it writes and its errors).
 */
final class XlExtras {
    /** The namespace of libvirt's libxl driver for the device model's extra arguments. */
    static final String XEN_NS = "http://libvirt.org/schemas/domain/xen/1.0";

    private XlExtras() {
    }

    // ---- hypervisor features -------------------------------------------------------------------------

    /** passthrough (all guests) and e820_host (PV/PVH) as the {@code <xen>} feature's children. */
    static void xenFeaturesFromXl(XlConfig c, DomainDef def, boolean hvm) {
        boolean on = false;
        String passthroughState = null;
        String mode = null;
        String passthrough = c.string("passthrough");
        if (passthrough != null) {
            switch (passthrough) {
                case "disabled" -> passthroughState = "off";
                case "enabled" -> {
                    on = true;
                    passthroughState = "on";
                }
                case "sync_pt", "share_pt" -> {
                    on = true;
                    passthroughState = "on";
                    mode = passthrough;
                }
                default -> {
                    // libvirt reports "Invalid passthrough mode" but goes on; the setting is ignored
                }
            }
        }
        boolean e820 = !hvm && Boolean.TRUE.equals(c.bool("e820_host"));
        if (e820) {
            on = true;
        }
        if (!on) {
            return;
        }
        XmlNode xen = new XmlNode("xen");
        if (e820) {
            xen.add(new XmlNode("e820_host").attr("state", "on"));
        }
        if (passthroughState != null) {
            XmlNode p = new XmlNode("passthrough").attr("state", passthroughState);
            if (mode != null) {
                p.attr("mode", mode);
            }
            xen.add(p);
        }
        def.getFeatures().add("xen");
        def.getFeatureDetails().put("xen", xen);
    }

    static void xenFeaturesToXl(XlConfig c, DomainDef def, boolean hvm) {
        XmlNode xen = def.getFeatures().contains("xen") ? def.getFeatureDetails().get("xen") : null;
        if (xen == null || "off".equals(xen.attr("state"))) {
            return;
        }
        XmlNode e820 = xen.child("e820_host");
        if (!hvm && e820 != null && "on".equals(e820.attr("state"))) {
            c.set("e820_host", 1);
        }
        XmlNode p = xen.child("passthrough");
        if (p != null && "on".equals(p.attr("state"))) {
            String mode = p.attr("mode");
            c.set("passthrough", "sync_pt".equals(mode) || "share_pt".equals(mode) ? mode : "enabled");
        }
    }

    // ---- PCI and USB host devices ----------------------------------------------------------------------

    /** pci = [ "[DOMAIN:]BUS:SLOT.FUNC[,permissive=N,...]", ... ] as PCI host devices. */
    static void pciFromXl(XlConfig c, DomainDef def) {
        if (!c.isList("pci")) {
            return;
        }
        for (String entry : c.list("pci")) {
            def.getOtherDevices().add(new GenericDeviceDef(pciHostdev(entry)));
        }
    }

    private static XmlNode pciHostdev(String entry) {
        String[] tokens = entry.split(":", 3);
        int next = 0;
        long domain = 0;
        if (tokens.length == 3) {
            domain = hex(tokens[next++], entry);
        }
        if (next >= tokens.length) {
            throw internal("Malformed PCI address " + entry);
        }
        long bus = hex(tokens[next++], entry);
        String rest = next < tokens.length ? tokens[next] : "";
        int dot = rest.indexOf('.');
        if (dot < 0) {
            throw internal("Malformed PCI address " + rest);
        }
        long slot = hex(rest.substring(0, dot), entry);
        rest = rest.substring(dot + 1);
        int comma = rest.indexOf(',');
        String options = comma < 0 ? null : rest.substring(comma + 1);
        long function = hex(comma < 0 ? rest : rest.substring(0, comma), entry);
        String writeFiltering = null;
        if (options != null) {
            for (String o : options.split(",")) {
                int eq = o.indexOf('=');
                if (eq < 0) {
                    throw internal("Malformed PCI options " + options);
                }
                if (o.substring(0, eq).equals("permissive")) {
                    long v;
                    try {
                        v = Long.parseLong(o.substring(eq + 1).trim());
                    } catch (NumberFormatException e) {
                        throw internal("Malformed PCI options " + options);
                    }
                    writeFiltering = v != 0 ? "no" : "yes";
                }
            }
        }
        XmlNode source = new XmlNode("source");
        if (writeFiltering != null) {
            source.attr("writeFiltering", writeFiltering);
        }
        source.add(new XmlNode("address").attr("domain", String.format("0x%04x", domain))
                .attr("bus", String.format("0x%02x", bus)).attr("slot", String.format("0x%02x", slot))
                .attr("function", String.format("0x%x", function)));
        return new XmlNode("hostdev").attr("mode", "subsystem").attr("type", "pci").attr("managed", "no")
                .add(source);
    }

    static void pciToXl(XlConfig c, DomainDef def) {
        List<String> pcis = new ArrayList<>();
        for (XmlNode h : hostdevs(def, "pci")) {
            XmlNode source = h.child("source");
            XmlNode a = source == null ? null : source.child("address");
            if (a == null) {
                throw unsupported("PCI host device without a source address");
            }
            String wf = source.attr("writeFiltering");
            pcis.add(String.format("%04x:%02x:%02x.%x%s", number(a.attr("domain")), number(a.attr("bus")),
                    number(a.attr("slot")), number(a.attr("function")),
                    "yes".equals(wf) ? ",permissive=0" : "no".equals(wf) ? ",permissive=1" : ""));
        }
        if (!pcis.isEmpty()) {
            c.set("pci", pcis);
        }
    }

    /** usbdev = [ "hostbus=B,hostaddr=D", ... ] (hexadecimal) as USB host devices. */
    static void usbFromXl(XlConfig c, DomainDef def) {
        if (!c.isList("usbdev")) {
            return;
        }
        for (String entry : c.list("usbdev")) {
            Map<String, String> kv = keyValues(entry);
            if (kv == null) {
                continue;
            }
            Long bus = hexOrNull(kv.getOrDefault("hostbus", "0"));
            Long dev = hexOrNull(kv.getOrDefault("hostaddr", "0"));
            if (bus == null || dev == null) {
                continue; // libvirt skips an entry it cannot read
            }
            def.getOtherDevices().add(new GenericDeviceDef(new XmlNode("hostdev").attr("mode", "subsystem")
                    .attr("type", "usb").attr("managed", "no").add(new XmlNode("source").add(
                            new XmlNode("address").attr("bus", Long.toString(bus)).attr("device",
                                    Long.toString(dev))))));
        }
    }

    static void usbToXl(XlConfig c, DomainDef def) {
        List<String> usbs = new ArrayList<>();
        for (XmlNode h : hostdevs(def, "usb")) {
            XmlNode source = h.child("source");
            XmlNode a = source == null ? null : source.child("address");
            long bus = a == null || a.attr("bus") == null ? 0 : number(a.attr("bus"));
            long dev = a == null || a.attr("device") == null ? 0 : number(a.attr("device"));
            usbs.add(String.format("hostbus=%x,hostaddr=%x", bus, dev));
        }
        if (!usbs.isEmpty()) {
            c.set("usbdev", usbs);
        }
    }

    private static List<XmlNode> hostdevs(DomainDef def, String type) {
        List<XmlNode> out = new ArrayList<>();
        for (GenericDeviceDef d : def.getOtherDevices()) {
            XmlNode n = d.getNode();
            if (n.getName().equals("hostdev") && "subsystem".equals(n.attr("mode") == null ? "subsystem"
                    : n.attr("mode")) && type.equals(n.attr("type"))) {
                out.add(n);
            }
        }
        return out;
    }

    // ---- USB inputs and controllers ----------------------------------------------------------------------

    /** usbdevice (a string or a list) of an HVM guest: tablet, mouse and keyboard become USB inputs. */
    static void inputsFromXl(XlConfig c, DomainDef def, boolean hvm) {
        if (!hvm || !c.has("usbdevice")) {
            return;
        }
        for (String s : c.list("usbdevice")) {
            switch (s) {
                case "tablet", "mouse", "keyboard" -> def.getInputs().add(new InputDef(s, "usb"));
                default -> {
                    // other USB devices are not inputs
                }
            }
        }
    }

    static void inputsToXl(XlConfig c, DomainDef def, boolean hvm) {
        if (!hvm) {
            return;
        }
        List<String> devs = new ArrayList<>();
        for (InputDef i : def.getInputs()) {
            if (!"usb".equals(i.getBus())) {
                continue;
            }
            c.set("usb", 1);
            if (List.of("mouse", "tablet", "keyboard").contains(i.getType())) {
                devs.add(i.getType());
            }
        }
        if (devs.size() == 1) {
            c.set("usbdevice", devs.get(0)); // the form Xen up to 4.2 reads
        } else if (!devs.isEmpty()) {
            c.set("usbdevice", devs);
        }
    }

    /** usbctrl = [ "type=qusb,version=1|2,ports=N", ... ] (version and ports hexadecimal) as USB controllers. */
    static void usbctrlFromXl(XlConfig c, DomainDef def) {
        if (!c.isList("usbctrl")) {
            return;
        }
        int index = 0;
        entries:
        for (String entry : c.list("usbctrl")) {
            long version = 2;
            long ports = 8;
            for (String kv : entry.split(",")) {
                kv = kv.strip();
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    continue entries;
                }
                String key = kv.substring(0, eq);
                String val = kv.substring(eq + 1);
                switch (key) {
                    case "type" -> {
                        if (!val.startsWith("qusb")) {
                            continue entries;
                        }
                    }
                    case "version" -> {
                        Long v = hexOrNull(val);
                        if (v == null) {
                            continue entries;
                        }
                        version = v;
                    }
                    case "ports" -> {
                        Long v = hexOrNull(val);
                        if (v == null) {
                            continue entries;
                        }
                        ports = v;
                    }
                    default -> {
                        // other keys are ignored
                    }
                }
            }
            ControllerDef usb = new ControllerDef("usb", index++);
            usb.setModel(version == 1 ? "qusb1" : "qusb2");
            usb.getOtherAttributes().put("ports", Long.toString(ports));
            def.getControllers().add(usb);
        }
    }

    static void usbctrlToXl(XlConfig c, DomainDef def) {
        List<String> ctrls = new ArrayList<>();
        for (ControllerDef u : def.getControllers()) {
            if (!"usb".equals(u.getType())) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            if (u.getModel() != null) {
                switch (u.getModel()) {
                    case "qusb1" -> sb.append("type=qusb,version=1,");
                    case "qusb2" -> sb.append("type=qusb,version=2,");
                    default -> throw unsupported("USB controller model '" + u.getModel()
                            + "' is not supported by xen-xl (qusb1, qusb2)");
                }
            }
            String ports = u.getOtherAttributes().get("ports");
            if (ports != null) {
                sb.append(String.format("ports=%x", number(ports)));
            }
            ctrls.add(sb.toString());
        }
        if (!ctrls.isEmpty()) {
            c.set("usbctrl", ctrls);
        }
    }

    // ---- spice --------------------------------------------------------------------------------------

    /** spice=1 of an HVM guest: the guest's only graphics (it replaces vnc/sdl, as in libvirt). */
    static void spiceFromXl(XlConfig c, DomainDef def, boolean hvm) {
        if (!hvm || !Boolean.TRUE.equals(c.bool("spice"))) {
            return;
        }
        GraphicsDef g = new GraphicsDef("spice");
        String host = c.string("spicehost");
        g.setListenType("address");
        g.setListen(host == null || host.isEmpty() ? null : host);
        long tls = c.number("spicetls_port", 0);
        long port = c.number("spiceport", 0);
        if (tls > 0) {
            g.getOtherAttributes().put("tlsPort", Long.toString(tls));
        }
        if (tls == 0 && port == 0) {
            g.setAutoport(true);
            g.setPort(-1);
        } else {
            g.setAutoport(false);
            g.setPort((int) port);
        }
        if (!Boolean.TRUE.equals(c.bool("spicedisable_ticketing"))) {
            g.setPasswd(c.string("spicepasswd"));
        }
        g.getExtraElements().add(new XmlNode("mouse").attr("mode",
                Boolean.TRUE.equals(c.bool("spiceagent_mouse")) ? "client" : "server"));
        g.getExtraElements().add(new XmlNode("clipboard").attr("copypaste",
                Boolean.TRUE.equals(c.bool("spice_clipboard_sharing")) ? "yes" : "no"));
        def.getGraphics().clear();
        def.getGraphics().add(g);
    }

    static void spiceToXl(XlConfig c, DomainDef def, boolean hvm) {
        if (!hvm || def.getGraphics().isEmpty() || !"spice".equals(def.getGraphics().get(0).getType())) {
            return;
        }
        GraphicsDef g = def.getGraphics().get(0);
        c.set("sdl", 0);
        c.set("vnc", 0);
        c.set("spice", 1);
        if ("address".equals(g.getListenType()) && g.getListen() != null) {
            c.set("spicehost", g.getListen());
        }
        c.set("spiceport", Math.max(0, g.getPort()));
        String tls = g.getOtherAttributes().get("tlsPort");
        c.set("spicetls_port", tls == null ? 0 : Math.max(0, number(tls)));
        if (g.getPasswd() != null) {
            c.set("spicedisable_ticketing", 0);
            c.set("spicepasswd", g.getPasswd());
        } else {
            c.set("spicedisable_ticketing", 1);
        }
        for (XmlNode x : g.getExtraElements()) {
            if (x.getName().equals("mouse")) {
                if ("server".equals(x.attr("mode"))) {
                    c.set("spiceagent_mouse", 0);
                } else if ("client".equals(x.attr("mode"))) {
                    c.set("spiceagent_mouse", 1);
                    c.set("spicevdagent", 1); // client mouse mode needs the agent
                }
            }
        }
        for (XmlNode x : g.getExtraElements()) {
            if (x.getName().equals("clipboard") && "yes".equals(x.attr("copypaste"))) {
                c.set("spice_clipboard_sharing", 1);
                c.set("spicevdagent", 1); // clipboard sharing needs the agent
            }
        }
    }

    // ---- vNUMA ----------------------------------------------------------------------------------------

    /**
     * vnuma = [ [ "pnode=P", "size=MiB", "vcpus=LIST", "vdistances=D,D,..." ], ... ] as {@code <cpu><numa>}
     * cells (with distances when given). As in libvirt, the cells make a new {@code <cpu>}, replacing what
     * nestedhvm made.
     */
    static void vnumaFromXl(XlConfig c, DomainDef def) {
        if (!(c.value("vnuma") instanceof List<?> list)) {
            return;
        }
        int nodes = 0;
        while (nodes < list.size() && list.get(nodes) instanceof List) {
            nodes++;
        }
        XmlNode numa = new XmlNode("numa");
        int vcpus = 0;
        for (int n = 0; n < list.size(); n++) {
            long pnode = -1;
            TreeSet<Integer> cpus = null;
            long size = 0;
            List<Long> distances = null;
            if (list.get(n) instanceof List<?> vnode) {
                for (Object o : vnode) {
                    if (!(o instanceof String str)) {
                        break;
                    }
                    int eq = str.lastIndexOf('=');
                    if (eq < 0) {
                        throw internal("vnuma vnode invalid format '" + str + "'");
                    }
                    String data = str.substring(eq + 1);
                    if (data.isEmpty()) {
                        continue;
                    }
                    if (str.startsWith("pnode")) {
                        Long p = decimalOrNull(data);
                        if (p == null || p >= nodes) {
                            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXL, "vnuma vnode "
                                    + n + " contains invalid pnode value '" + data + "'");
                        }
                        pnode = p;
                    } else if (str.startsWith("size")) {
                        Long s = decimalOrNull(data);
                        if (s == null) {
                            throw internal("invalid vnuma size '" + data + "'");
                        }
                        size = s;
                    } else if (str.startsWith("vcpus")) {
                        cpus = bitmap(data);
                        vcpus += cpus.size();
                    } else if (str.startsWith("vdistances")) {
                        String[] tokens = data.split(",", -1);
                        if (tokens.length != nodes) {
                            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXL, "vnuma pnode "
                                    + pnode + " configured '" + str + "' (count " + tokens.length
                                    + ") doesn't fit the number of specified vnodes " + nodes);
                        }
                        distances = new ArrayList<>();
                        for (String t : tokens) {
                            Long d = decimalOrNull(t);
                            if (d == null) {
                                throw internal("invalid vnuma distance '" + t + "'");
                            }
                            distances.add(d);
                        }
                    } else {
                        throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL,
                                "Invalid vnuma configuration for vnode " + n);
                    }
                }
            }
            if (pnode < 0 || cpus == null || size == 0) {
                throw new VirtException(ErrorCode.CONF_SYNTAX, ErrorDomain.XENXL,
                        "Incomplete vnuma configuration for vnode " + n);
            }
            XmlNode cell = new XmlNode("cell").attr("id", Integer.toString(n)).attr("cpus", formatBitmap(cpus))
                    .attr("memory", Long.toString(size * 1024)).attr("unit", "KiB");
            if (distances != null) {
                XmlNode ds = new XmlNode("distances");
                for (int i = 0; i < distances.size(); i++) {
                    ds.add(new XmlNode("sibling").attr("id", Integer.toString(i))
                            .attr("value", Long.toString(distances.get(i))));
                }
                cell.add(ds);
            }
            numa.add(cell);
        }
        if (def.getVcpus() < vcpus) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXL, "vnuma configuration contains "
                    + vcpus + " vcpus, which is greater than " + def.getVcpus() + " maxvcpus");
        }
        def.getExtraElements().removeIf(x -> x.getName().equals("cpu"));
        def.getExtraElements().add(new XmlNode("cpu").add(numa));
        // libvirt parses xl.cfg with ABI update allowed: the cells' memory becomes the maximum memory
        long total = 0;
        for (XmlNode cell : numa.children("cell")) {
            total += Long.parseLong(cell.attr("memory"));
        }
        if (total > 0) {
            def.setMemoryKiB(total);
            if (def.getCurrentMemoryKiB() > total) {
                def.setCurrentMemoryKiB(total);
            }
        }
    }

    static void vnumaToXl(XlConfig c, DomainDef def) {
        XmlNode cpu = null;
        for (XmlNode x : def.getExtraElements()) {
            if (x.getName().equals("cpu")) {
                cpu = x;
            }
        }
        XmlNode numa = cpu == null ? null : cpu.child("numa");
        if (numa == null) {
            return;
        }
        List<XmlNode> cells = numa.children("cell");
        List<List<String>> vnodes = new ArrayList<>();
        for (int n = 0; n < cells.size(); n++) {
            XmlNode cell = cells.get(n);
            if (cell.attr("cpus") == null) {
                throw unsupported("vNUMA cell " + n + " has no cpus");
            }
            List<String> vnode = new ArrayList<>();
            vnode.add("pnode=" + n);
            vnode.add("size=" + kib(cell.attr("memory"), cell.attr("unit")) / 1024);
            vnode.add("vcpus=" + formatBitmap(bitmap(cell.attr("cpus"))));
            StringBuilder d = new StringBuilder("vdistances=");
            XmlNode ds = cell.child("distances");
            for (int i = 0; i < cells.size(); i++) {
                String value = null;
                if (ds != null) {
                    for (XmlNode s : ds.children("sibling")) {
                        if (Integer.toString(i).equals(s.attr("id"))) {
                            value = s.attr("value");
                        }
                    }
                }
                d.append(i == 0 ? "" : ",").append(value != null ? value : i == n ? "10" : "20");
            }
            vnode.add(d.toString());
            vnodes.add(vnode);
        }
        if (!vnodes.isEmpty()) {
            c.setLists("vnuma", vnodes);
        }
    }

    /** A CPU list ("0-3,8,^2"). */
    static TreeSet<Integer> bitmap(String s) {
        TreeSet<Integer> set = new TreeSet<>();
        for (String part : s.split(",")) {
            part = part.strip();
            if (part.isEmpty()) {
                throw internal("Failed to parse bitmap '" + s + "'");
            }
            boolean neg = part.startsWith("^");
            if (neg) {
                part = part.substring(1);
            }
            int dash = part.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).strip());
                if (from < 0 || to < from || neg && dash >= 0) {
                    throw new NumberFormatException();
                }
                for (int i = from; i <= to; i++) {
                    if (neg) {
                        set.remove(i);
                    } else {
                        set.add(i);
                    }
                }
            } catch (NumberFormatException e) {
                throw internal("Failed to parse bitmap '" + s + "'");
            }
        }
        return set;
    }

    /** A CPU set as ranges ("0-1,4,6-7"). */
    static String formatBitmap(TreeSet<Integer> set) {
        StringBuilder sb = new StringBuilder();
        Integer start = null;
        Integer prev = null;
        for (int i : set) {
            if (prev != null && i == prev + 1) {
                prev = i;
                continue;
            }
            if (start != null) {
                range(sb, start, prev);
            }
            start = i;
            prev = i;
        }
        if (start != null) {
            range(sb, start, prev);
        }
        return sb.toString();
    }

    private static void range(StringBuilder sb, int from, int to) {
        sb.append(sb.length() == 0 ? "" : ",").append(from);
        if (to > from) {
            sb.append('-').append(to);
        }
    }

    private static long kib(String value, String unit) {
        long v = number(value);
        return switch (unit == null ? "kib" : unit.toLowerCase(Locale.ROOT)) {
            case "b", "bytes" -> v / 1024;
            case "k", "kib" -> v;
            case "kb" -> v * 1000 / 1024;
            case "m", "mib" -> v * 1024;
            case "mb" -> v * 1000 * 1000 / 1024;
            case "g", "gib" -> v * 1024 * 1024;
            case "gb" -> v * 1000 * 1000 * 1000 / 1024;
            case "t", "tib" -> v * 1024 * 1024 * 1024;
            default -> throw unsupported("unknown memory unit '" + unit + "'");
        };
    }

    // ---- rbd network disks ------------------------------------------------------------------------------

    /**
     * An {@code rbd:POOL/IMAGE[@SNAP][:OPT=VAL...]} target as a network disk: the name, the snapshot, the
     * {@code mon_host} monitors ({@code \;}-separated, {@code HOST\:PORT}) and {@code conf}. The config file
     * gives the target with doubled backslashes, which are undone first.
     */
    static boolean rbdFromXl(DiskDef d, String target) {
        if (!target.startsWith("rbd:")) {
            return false;
        }
        String s = target.replace("\\\\", "\\").substring(4);
        int colon = s.indexOf(':');
        String options = colon < 0 ? null : s.substring(colon + 1);
        String name = colon < 0 ? s : s.substring(0, colon);
        String snapshot = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            snapshot = name.substring(at + 1);
            name = name.substring(0, at);
        }
        XmlNode source = new XmlNode("source").attr("protocol", "rbd").attr("name", name);
        String conf = null;
        if (options != null) {
            for (String opt : splitUnescaped(options, ':')) {
                if (opt.startsWith("mon_host=")) {
                    for (String h : opt.substring(9).split("\\\\[,; ]")) {
                        if (!h.isEmpty()) {
                            source.add(rbdHost(h));
                        }
                    }
                } else if (opt.startsWith("conf=")) {
                    conf = opt.substring(5);
                }
            }
        }
        if (snapshot != null) {
            source.add(new XmlNode("snapshot").attr("name", snapshot));
        }
        if (conf != null) {
            source.add(new XmlNode("config").attr("file", conf));
        }
        d.setType("network");
        d.setSourcePath(null);
        d.setSourceNode(source);
        return true;
    }

    private static XmlNode rbdHost(String hostport) {
        String host = hostport;
        String port = null;
        int bracket = hostport.indexOf(']');
        if (bracket >= 0) {
            host = hostport.substring(1, bracket);
            port = hostport.length() > bracket + 3 ? hostport.substring(bracket + 3) : null;
        } else {
            int p = hostport.indexOf("\\:");
            if (p >= 0) {
                host = hostport.substring(0, p);
                port = hostport.substring(p + 2);
            }
        }
        XmlNode h = new XmlNode("host").attr("name", host.replace("\\:", ":"));
        if (port != null && !port.isEmpty()) {
            Long v = decimalOrNull(port);
            if (v == null || v > 65535) {
                throw internal("failed to parse port number '" + port + "'");
            }
            if (v != 0) {
                h.attr("port", Long.toString(v));
            }
        }
        return h;
    }

    private static List<String> splitUnescaped(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                cur.append(ch).append(s.charAt(++i));
            } else if (ch == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** The xl target of a network disk: rbd only, as libvirt writes it. */
    static String networkDiskTarget(DiskDef d) {
        XmlNode src = d.getSourceNode();
        String protocol = src == null ? null : src.attr("protocol");
        if (!"rbd".equals(protocol)) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.XENXL, "Unsupported network block protocol '"
                    + (protocol == null ? "none" : protocol) + "'");
        }
        String name = src.attr("name") == null ? "" : src.attr("name");
        int slash = name.indexOf('/');
        if (slash <= 0) {
            // libvirt's XML parser refuses such a source before its converter sees it
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, "can't split path '" + name
                    + "' into pool name and image name");
        }
        String volume = name.substring(0, slash);
        String path = name.substring(slash + 1);
        if (path.indexOf(':') >= 0) {
            throw unsupported("':' not allowed in RBD source volume name '" + path + "'");
        }
        StringBuilder sb = new StringBuilder("rbd:").append(volume).append('/').append(path);
        sb.append(":auth_supported=none");
        List<XmlNode> hosts = src.children("host");
        if (!hosts.isEmpty()) {
            sb.append(":mon_host=");
            for (int i = 0; i < hosts.size(); i++) {
                String host = hosts.get(i).attr("name") == null ? "" : hosts.get(i).attr("name");
                sb.append(i == 0 ? "" : "\\\\;");
                sb.append(host.indexOf(':') >= 0 ? "[" + host.replace(":", "\\:") + "]" : host);
                String port = hosts.get(i).attr("port");
                if (port != null && number(port) != 0) {
                    sb.append("\\\\:").append(number(port));
                }
            }
        }
        return sb.toString();
    }

    // ---- device_model_args --------------------------------------------------------------------------

    /** device_model_args (a list) as {@code <xen:commandline>} in libvirt's libxl namespace. */
    static void namespaceFromXl(XlConfig c, DomainDef def) {
        if (!c.isList("device_model_args")) {
            return;
        }
        List<String> args = c.list("device_model_args");
        if (args.isEmpty()) {
            return;
        }
        XmlNode cmd = new XmlNode("xen:commandline");
        for (String a : args) {
            cmd.add(new XmlNode("xen:arg").attr("value", a));
        }
        def.getOtherAttributes().put("xmlns:xen", XEN_NS);
        def.getExtraElements().add(cmd);
    }

    static void namespaceToXl(XlConfig c, DomainDef def) {
        String prefix = null;
        for (Map.Entry<String, String> e : def.getOtherAttributes().entrySet()) {
            if (e.getKey().startsWith("xmlns:") && XEN_NS.equals(e.getValue())) {
                prefix = e.getKey().substring(6);
            }
        }
        if (prefix == null) {
            return;
        }
        List<String> args = new ArrayList<>();
        for (XmlNode x : def.getExtraElements()) {
            if (x.getName().equals(prefix + ":commandline")) {
                for (XmlNode a : x.children(prefix + ":arg")) {
                    if (a.attr("value") != null) {
                        args.add(a.attr("value"));
                    }
                }
            }
        }
        if (!args.isEmpty()) {
            c.set("device_model_args", args);
        }
    }

    // ---- numbers ----------------------------------------------------------------------------------------

    private static Map<String, String> keyValues(String spec) {
        Map<String, String> kv = new java.util.LinkedHashMap<>();
        for (String p : spec.split(",")) {
            p = p.strip();
            int eq = p.indexOf('=');
            if (eq < 0) {
                return null;
            }
            kv.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return kv;
    }

    private static long hex(String s, String entry) {
        Long v = hexOrNull(s);
        if (v == null) {
            throw internal("Malformed PCI address " + entry);
        }
        return v;
    }

    private static Long hexOrNull(String s) {
        String t = s.strip();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        try {
            return Long.parseLong(t, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long decimalOrNull(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An XML number as libvirt reads it (base 0: 0x hexadecimal, leading 0 octal, else decimal). */
    static long number(String s) {
        if (s == null) {
            return 0;
        }
        String t = s.strip();
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseLong(t.substring(2), 16);
            }
            if (t.length() > 1 && t.startsWith("0")) {
                return Long.parseLong(t.substring(1), 8);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw unsupported("cannot parse number '" + s + "'");
        }
    }

    private static VirtException internal(String detail) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XENXL, detail);
    }

    private static VirtException unsupported(String detail) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.XENXL, detail);
    }
}
