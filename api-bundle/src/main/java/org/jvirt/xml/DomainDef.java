package org.jvirt.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A domain definition: the mutable model behind {@code <domain>} XML. */
public final class DomainDef {
    private String type;
    private String name;
    private UUID uuid;
    private String title;
    private String description;
    private final Map<String, String> otherAttributes = new LinkedHashMap<>();
    private long memoryKiB;
    private long currentMemoryKiB;
    private int vcpus = 1;
    private int currentVcpus;
    private String vcpuPlacement = "static";
    private String cpuset;
    private final OsDef os = new OsDef();
    private String emulator;
    private final Set<String> features = new LinkedHashSet<>();
    private final Map<String, XmlNode> featureDetails = new LinkedHashMap<>();
    private String clockOffset = "utc";
    private final Map<String, String> clockAttributes = new LinkedHashMap<>();
    private final List<XmlNode> clockChildren = new ArrayList<>(0);
    private String onPoweroff = "destroy";
    private String onReboot = "restart";
    private String onCrash = "destroy";
    private final List<DiskDef> disks = new ArrayList<>();
    private final List<ControllerDef> controllers = new ArrayList<>();
    private final List<InterfaceDef> interfaces = new ArrayList<>();
    private final List<CharDeviceDef> serials = new ArrayList<>();
    private final List<CharDeviceDef> parallels = new ArrayList<>();
    private final List<CharDeviceDef> consoles = new ArrayList<>();
    private final List<CharDeviceDef> channels = new ArrayList<>();
    private final List<InputDef> inputs = new ArrayList<>();
    private final List<GraphicsDef> graphics = new ArrayList<>();
    private final List<SoundDef> sounds = new ArrayList<>();
    private final List<VideoDef> videos = new ArrayList<>();
    private MemballoonDef memballoon;
    private final List<GenericDeviceDef> otherDevices = new ArrayList<>();
    private final List<XmlNode> extras = new ArrayList<>(0);

    /** The virtualization type: test, qemu, kvm, xen, lxc, ... */
    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public UUID getUuid() { return uuid; }
    public void setUuid(UUID uuid) { this.uuid = uuid; }
    public String getTitle() { return title; }
    public void setTitle(String title) { this.title = title; }
    public String getDescription() { return description; }
    public void setDescription(String description) { this.description = description; }
    /** Other attributes of {@code <domain>}, e.g. namespace declarations. */
    public Map<String, String> getOtherAttributes() { return otherAttributes; }
    /** The {@code <memory>}: the maximum, in KiB. */
    public long getMemoryKiB() { return memoryKiB; }
    public void setMemoryKiB(long memoryKiB) { this.memoryKiB = memoryKiB; }
    /** The {@code <currentMemory>} in KiB; 0 means the same as memory. */
    public long getCurrentMemoryKiB() { return currentMemoryKiB; }
    public void setCurrentMemoryKiB(long currentMemoryKiB) { this.currentMemoryKiB = currentMemoryKiB; }
    /** The current memory, resolving 0 to memory. */
    public long effectiveCurrentMemoryKiB() { return currentMemoryKiB > 0 ? currentMemoryKiB : memoryKiB; }
    /** The maximum number of vcpus ({@code <vcpu>}). */
    public int getVcpus() { return vcpus; }
    public void setVcpus(int vcpus) { this.vcpus = vcpus; }
    /** The {@code current=} vcpus; 0 means the same as the maximum. */
    public int getCurrentVcpus() { return currentVcpus; }
    public void setCurrentVcpus(int currentVcpus) { this.currentVcpus = currentVcpus; }
    public int effectiveCurrentVcpus() { return currentVcpus > 0 ? currentVcpus : vcpus; }
    /** static or auto. */
    public String getVcpuPlacement() { return vcpuPlacement; }
    public void setVcpuPlacement(String vcpuPlacement) { this.vcpuPlacement = vcpuPlacement; }
    public String getCpuset() { return cpuset; }
    public void setCpuset(String cpuset) { this.cpuset = cpuset; }
    public OsDef getOs() { return os; }
    public String getEmulator() { return emulator; }
    public void setEmulator(String emulator) { this.emulator = emulator; }
    /** Enabled features by name (acpi, apic, pae, ...); formatted in libvirt's order. */
    public Set<String> getFeatures() { return features; }
    /** Features that carry attributes or children (e.g. {@code <hap state='on'/>}), by name. */
    public Map<String, XmlNode> getFeatureDetails() { return featureDetails; }
    /** utc, localtime, timezone, variable, absolute. */
    public String getClockOffset() { return clockOffset; }
    public void setClockOffset(String clockOffset) { this.clockOffset = clockOffset; }
    /** Other {@code <clock>} attributes (adjustment, basis, timezone). */
    public Map<String, String> getClockAttributes() { return clockAttributes; }
    /** The {@code <timer>} children of {@code <clock>}. */
    public List<XmlNode> getClockChildren() { return clockChildren; }
    public String getOnPoweroff() { return onPoweroff; }
    public void setOnPoweroff(String onPoweroff) { this.onPoweroff = onPoweroff; }
    public String getOnReboot() { return onReboot; }
    public void setOnReboot(String onReboot) { this.onReboot = onReboot; }
    public String getOnCrash() { return onCrash; }
    public void setOnCrash(String onCrash) { this.onCrash = onCrash; }
    public List<DiskDef> getDisks() { return disks; }
    public List<ControllerDef> getControllers() { return controllers; }
    public List<InterfaceDef> getInterfaces() { return interfaces; }
    public List<CharDeviceDef> getSerials() { return serials; }
    public List<CharDeviceDef> getParallels() { return parallels; }
    public List<CharDeviceDef> getConsoles() { return consoles; }
    public List<CharDeviceDef> getChannels() { return channels; }
    public List<InputDef> getInputs() { return inputs; }
    public List<GraphicsDef> getGraphics() { return graphics; }
    public List<SoundDef> getSounds() { return sounds; }
    public List<VideoDef> getVideos() { return videos; }
    public MemballoonDef getMemballoon() { return memballoon; }
    public void setMemballoon(MemballoonDef memballoon) { this.memballoon = memballoon; }
    /** Devices kept as trees: hostdev, filesystem, watchdog, rng, tpm, ... */
    public List<GenericDeviceDef> getOtherDevices() { return otherDevices; }
    /** Top-level elements this model keeps as trees (metadata, cpu, memoryBacking, cputune, pm, seclabel, ...). */
    public List<XmlNode> getExtraElements() { return extras; }

    /** Every device, in the order they are formatted. */
    public List<DeviceDef> getAllDevices() {
        List<DeviceDef> all = new ArrayList<>();
        all.addAll(disks);
        all.addAll(controllers);
        all.addAll(interfaces);
        all.addAll(serials);
        all.addAll(parallels);
        all.addAll(consoles);
        all.addAll(channels);
        all.addAll(inputs);
        all.addAll(graphics);
        all.addAll(sounds);
        all.addAll(videos);
        if (memballoon != null) {
            all.add(memballoon);
        }
        all.addAll(otherDevices);
        return all;
    }

    /** Adds a device to the list for its kind (attach). */
    public void addDevice(DeviceDef dev) {
        if (dev instanceof DiskDef d) {
            disks.add(d);
        } else if (dev instanceof ControllerDef c) {
            controllers.add(c);
        } else if (dev instanceof InterfaceDef i) {
            interfaces.add(i);
        } else if (dev instanceof CharDeviceDef c) {
            charList(c.getKind()).add(c);
        } else if (dev instanceof InputDef i) {
            inputs.add(i);
        } else if (dev instanceof GraphicsDef g) {
            graphics.add(g);
        } else if (dev instanceof SoundDef s) {
            sounds.add(s);
        } else if (dev instanceof VideoDef v) {
            videos.add(v);
        } else if (dev instanceof MemballoonDef m) {
            memballoon = m;
        } else if (dev instanceof GenericDeviceDef g) {
            otherDevices.add(g);
        }
    }

    /** Removes this exact device instance; returns whether it was present. */
    public boolean removeDevice(DeviceDef dev) {
        if (dev == memballoon) {
            memballoon = null;
            return true;
        }
        if (dev instanceof CharDeviceDef c) {
            return removeSame(charList(c.getKind()), c);
        }
        return removeSame(disks, dev) || removeSame(controllers, dev) || removeSame(interfaces, dev)
            || removeSame(inputs, dev) || removeSame(graphics, dev) || removeSame(sounds, dev)
            || removeSame(videos, dev) || removeSame(otherDevices, dev);
    }

    private static boolean removeSame(List<?> list, Object o) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == o) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }

    List<CharDeviceDef> charList(String kind) {
        switch (kind) {
            case "parallel": return parallels;
            case "console": return consoles;
            case "channel": return channels;
            default: return serials;
        }
    }

    /** A deep copy. */
    public DomainDef copy() {
        DomainDef d = new DomainDef();
        d.type = type;
        d.name = name;
        d.uuid = uuid;
        d.title = title;
        d.description = description;
        d.otherAttributes.putAll(otherAttributes);
        d.memoryKiB = memoryKiB;
        d.currentMemoryKiB = currentMemoryKiB;
        d.vcpus = vcpus;
        d.currentVcpus = currentVcpus;
        d.vcpuPlacement = vcpuPlacement;
        d.cpuset = cpuset;
        OsDef o = os.copy();
        d.os.setType(o.getType());
        copyOs(o, d.os);
        d.emulator = emulator;
        d.features.addAll(features);
        for (Map.Entry<String, XmlNode> e : featureDetails.entrySet()) {
            d.featureDetails.put(e.getKey(), e.getValue().copy());
        }
        d.clockOffset = clockOffset;
        d.clockAttributes.putAll(clockAttributes);
        for (XmlNode x : clockChildren) {
            d.clockChildren.add(x.copy());
        }
        d.onPoweroff = onPoweroff;
        d.onReboot = onReboot;
        d.onCrash = onCrash;
        for (DeviceDef dev : getAllDevices()) {
            d.addDevice(dev.copy());
        }
        for (XmlNode x : extras) {
            d.extras.add(x.copy());
        }
        return d;
    }

    private static void copyOs(OsDef from, OsDef to) {
        to.setArch(from.getArch());
        to.setMachine(from.getMachine());
        to.setFirmware(from.getFirmware());
        to.setLoader(from.getLoader());
        to.getLoaderAttributes().putAll(from.getLoaderAttributes());
        to.setNvram(from.getNvram());
        to.setKernel(from.getKernel());
        to.setInitrd(from.getInitrd());
        to.setCmdline(from.getCmdline());
        to.setDtb(from.getDtb());
        to.setRoot(from.getRoot());
        to.setInit(from.getInit());
        to.getInitArgs().addAll(from.getInitArgs());
        to.getInitEnv().addAll(from.getInitEnv());
        to.setInitDir(from.getInitDir());
        to.getBootDevices().addAll(from.getBootDevices());
        to.setBootMenu(from.getBootMenu());
        to.setSmbios(from.getSmbios());
        to.setBios(from.getBios());
        to.getExtraElements().addAll(from.getExtraElements());
        to.setBootloader(from.getBootloader());
        to.setBootloaderArgs(from.getBootloaderArgs());
    }

    @Override
    public String toString() {
        return DomainXml.format(this, DomainXml.Format.DEFAULT);
    }
}
