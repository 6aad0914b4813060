package org.jvirt.driver.xen.internal;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.xen.internal.xl.XlConverter;
import org.jvirt.xml.AddressDef;
import org.jvirt.xml.CharDeviceDef;
import org.jvirt.xml.ControllerDef;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXmlHooks;
import org.jvirt.xml.GenericDeviceDef;
import org.jvirt.xml.InputDef;
import org.jvirt.xml.MemballoonDef;
import org.jvirt.xml.VideoDef;
import org.jvirt.xml.XmlNode;

/**
 * The Xen driver's parse hooks, as libvirt's libxl driver has them (libxlDomainDefPostParse and its
 * device post-parse): the machine of each guest type, hvmloader, the PV console, the implicit inputs,
 * balloon and xenbus controller, IDE addresses, the video of an HVM guest with graphics; validation
 * refuses what is not a Xen guest.
 */
public final class XenXmlHooks implements DomainXmlHooks {

    @Override
    public void postParse(DomainDef def) {
        String os = def.getOs().getType();
        if (os == null || "xen".equals(os)) {
            def.getOs().setType(os = "linux");
        }
        boolean hvm = "hvm".equals(os);
        if (def.getOs().getArch() == null) {
            def.getOs().setArch("x86_64");
        }
        if (def.getOs().getMachine() == null) {
            def.getOs().setMachine(hvm ? "xenfv" : "xenpvh".equals(os) ? "xenpvh" : "xenpv");
        }
        if (hvm && def.getOs().getLoader() == null && def.getOs().getFirmware() == null) {
            def.getOs().setLoader(XlConverter.HVMLOADER);
            def.getOs().getLoaderAttributes().put("type", "rom");
        }
        if (def.getVcpuPlacement() == null) {
            def.setVcpuPlacement("static");
        }
        if (!hvm && def.getConsoles().isEmpty()) {
            CharDeviceDef con = new CharDeviceDef("console", "pty");
            con.setTargetType("xen");
            con.setTargetPort(0);
            def.getConsoles().add(con);
        }
        if (hvm && def.getConsoles().isEmpty() && !def.getSerials().isEmpty()) {
            // libvirt's console compatibility: an HVM guest's first serial port is also its console
            CharDeviceDef first = def.getSerials().get(0);
            CharDeviceDef con = new CharDeviceDef("console", first.getType());
            con.setSourcePath(first.getSourcePath());
            con.setTargetType("serial");
            con.setTargetPort(0);
            def.getConsoles().add(con);
        }
        addInput(def, "mouse", hvm ? "ps2" : "xen");
        addInput(def, "keyboard", hvm ? "ps2" : "xen");
        if (def.getMemballoon() == null) {
            def.setMemballoon(new MemballoonDef("xen"));
        }
        if (def.getControllers().stream().noneMatch(c -> "xenbus".equals(c.getType()))) {
            def.getControllers().add(0, new ControllerDef("xenbus", 0));
        }
        boolean ide = false;
        int scsi = -1;
        for (DiskDef d : def.getDisks()) {
            if (d.getDriverType() == null) {
                d.setDriverType("raw"); // xl.cfg's default format (libvirt sets it on every disk)
            }
            if ("scsi".equals(d.getTargetBus()) && d.getTargetDev() != null && d.getTargetDev().matches("sd[a-z]")) {
                // libvirt's generic drive address of a SCSI disk: one bus, 7 units per controller
                int idx = d.getTargetDev().charAt(2) - 'a';
                if (d.getAddress() == null) {
                    d.setAddress(AddressDef.drive(idx / 7, 0, 0, idx % 7));
                }
                scsi = Math.max(scsi, idx / 7);
            }
            if ("ide".equals(d.getTargetBus()) && d.getTargetDev() != null && d.getTargetDev().startsWith("hd")) {
                ide = true;
                if (d.getAddress() == null) {
                    int idx = d.getTargetDev().charAt(2) - 'a';
                    d.setAddress(AddressDef.drive(idx / 4, (idx % 4) / 2, 0, idx % 2));
                }
            }
        }
        for (int i = 0; i <= scsi; i++) {
            int index = i;
            if (def.getControllers().stream().noneMatch(c -> "scsi".equals(c.getType()) && c.getIndex() == index)) {
                def.getControllers().add(new ControllerDef("scsi", index));
            }
        }
        if (ide && def.getControllers().stream().noneMatch(c -> "ide".equals(c.getType()))) {
            def.getControllers().add(new ControllerDef("ide", 0));
        }
        for (GenericDeviceDef g : def.getOtherDevices()) {
            XmlNode h = g.getNode();
            // libxl's PCI passthrough backend is Xen's own (pciback)
            if (h.getName().equals("hostdev") && "pci".equals(h.attr("type")) && h.child("driver") == null
                    && !"capabilities".equals(h.attr("mode"))) {
                h.getChildren().add(0, new XmlNode("driver").attr("name", "xen"));
            }
        }
        if (!def.getGraphics().isEmpty() && def.getVideos().isEmpty()) {
            def.getVideos().add(new VideoDef(hvm ? "cirrus" : "xen"));
        }
        for (VideoDef v : def.getVideos()) {
            if (v.getVram() == 0) {
                v.setVram(switch (v.getModelType() == null ? "" : v.getModelType()) {
                    case "cirrus" -> 8192;
                    case "xen" -> 4096;
                    case "qxl" -> 131072;
                    default -> 16384;
                });
            }
        }
    }

    private static void addInput(DomainDef def, String type, String bus) {
        for (InputDef i : def.getInputs()) {
            if (type.equals(i.getType()) && (i.getBus() == null || bus.equals(i.getBus()))) {
                return;
            }
        }
        def.getInputs().add(new InputDef(type, bus));
    }

    @Override
    public void validate(DomainDef def) {
        if (!"xen".equals(def.getType())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LIBXL,
                    "emulator 'xen' does not support virt type '" + def.getType() + "'");
        }
        String os = def.getOs().getType();
        if (!"hvm".equals(os) && !"linux".equals(os) && !"xenpvh".equals(os)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.LIBXL,
                    "os type '" + os + "' is not supported by the Xen driver (hvm, linux/xen, xenpvh)");
        }
    }
}
