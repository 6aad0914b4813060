package org.jvirt.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code <os>} block, plus Xen's top-level {@code <bootloader>} and {@code <bootloader_args>}. */
public final class OsDef {
    private String type;
    private String arch;
    private String machine;
    private String firmware;
    private String loader;
    private final Map<String, String> loaderAttributes = new LinkedHashMap<>();
    private XmlNode nvram;
    private String kernel;
    private String initrd;
    private String cmdline;
    private String dtb;
    private String root;
    private String init;
    private final List<String> initArgs = new ArrayList<>();
    private final List<XmlNode> initEnv = new ArrayList<>();
    private String initDir;
    private final List<String> bootDevices = new ArrayList<>();
    private XmlNode bootMenu;
    private XmlNode smbios;
    private XmlNode bios;
    private final List<XmlNode> extras = new ArrayList<>(0);
    private String bootloader;
    private String bootloaderArgs;

    /** hvm, linux, xen, xenpvh, exe, uml. */
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getArch() { return arch; }
    public void setArch(String arch) { this.arch = arch; }
    public String getMachine() { return machine; }
    public void setMachine(String machine) { this.machine = machine; }
    /** The {@code <os firmware=...>} (bios, efi), or null. */
    public String getFirmware() { return firmware; }
    public void setFirmware(String firmware) { this.firmware = firmware; }
    public String getLoader() { return loader; }
    public void setLoader(String loader) { this.loader = loader; }
    /** Loader attributes (readonly, secure, type). */
    public Map<String, String> getLoaderAttributes() { return loaderAttributes; }
    public XmlNode getNvram() { return nvram; }
    public void setNvram(XmlNode nvram) { this.nvram = nvram; }
    public String getKernel() { return kernel; }
    public void setKernel(String kernel) { this.kernel = kernel; }
    public String getInitrd() { return initrd; }
    public void setInitrd(String initrd) { this.initrd = initrd; }
    public String getCmdline() { return cmdline; }
    public void setCmdline(String cmdline) { this.cmdline = cmdline; }
    public String getDtb() { return dtb; }
    public void setDtb(String dtb) { this.dtb = dtb; }
    public String getRoot() { return root; }
    public void setRoot(String root) { this.root = root; }
    /** The container init (os type exe). */
    public String getInit() { return init; }
    public void setInit(String init) { this.init = init; }
    public List<String> getInitArgs() { return initArgs; }
    public List<XmlNode> getInitEnv() { return initEnv; }
    public String getInitDir() { return initDir; }
    public void setInitDir(String initDir) { this.initDir = initDir; }
    /** Boot devices in order: fd, hd, cdrom, network. */
    public List<String> getBootDevices() { return bootDevices; }
    public XmlNode getBootMenu() { return bootMenu; }
    public void setBootMenu(XmlNode bootMenu) { this.bootMenu = bootMenu; }
    public XmlNode getSmbios() { return smbios; }
    public void setSmbios(XmlNode smbios) { this.smbios = smbios; }
    public XmlNode getBios() { return bios; }
    public void setBios(XmlNode bios) { this.bios = bios; }
    /** Other children of {@code <os>}, kept as they were. */
    public List<XmlNode> getExtraElements() { return extras; }
    /** Xen's {@code <bootloader>} (e.g. pygrub), or null. */
    public String getBootloader() { return bootloader; }
    public void setBootloader(String bootloader) { this.bootloader = bootloader; }
    public String getBootloaderArgs() { return bootloaderArgs; }
    public void setBootloaderArgs(String bootloaderArgs) { this.bootloaderArgs = bootloaderArgs; }

    public OsDef copy() {
        OsDef o = new OsDef();
        o.type = type;
        o.arch = arch;
        o.machine = machine;
        o.firmware = firmware;
        o.loader = loader;
        o.loaderAttributes.putAll(loaderAttributes);
        o.nvram = nvram == null ? null : nvram.copy();
        o.kernel = kernel;
        o.initrd = initrd;
        o.cmdline = cmdline;
        o.dtb = dtb;
        o.root = root;
        o.init = init;
        o.initArgs.addAll(initArgs);
        for (XmlNode x : initEnv) {
            o.initEnv.add(x.copy());
        }
        o.initDir = initDir;
        o.bootDevices.addAll(bootDevices);
        o.bootMenu = bootMenu == null ? null : bootMenu.copy();
        o.smbios = smbios == null ? null : smbios.copy();
        o.bios = bios == null ? null : bios.copy();
        for (XmlNode x : extras) {
            o.extras.add(x.copy());
        }
        o.bootloader = bootloader;
        o.bootloaderArgs = bootloaderArgs;
        return o;
    }
}
