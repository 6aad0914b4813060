package org.jvirt.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The host and guest capabilities: the model behind {@code <capabilities>} XML. */
public final class CapabilitiesDef {

    /** A CPU topology; 0 for a level that is absent. */
    public record Topology(int sockets, int dies, int clusters, int cores, int threads) { }

    /** A security model with its base labels (virt type to label). */
    public static final class SecModel {
        private String model;
        private String doi;
        private final Map<String, String> baseLabels = new LinkedHashMap<>();

        public SecModel() {
        }

        public SecModel(String model, String doi) {
            this.model = model;
            this.doi = doi;
        }

        public String getModel() { return model; }
        public void setModel(String model) { this.model = model; }
        public String getDoi() { return doi; }
        public void setDoi(String doi) { this.doi = doi; }
        public Map<String, String> getBaseLabels() { return baseLabels; }

        SecModel copy() {
            SecModel s = new SecModel(model, doi);
            s.baseLabels.putAll(baseLabels);
            return s;
        }
    }

    /** A NUMA cell. */
    public static final class Cell {
        private int id;
        private long memoryKiB = -1;
        private final List<XmlNode> pages = new ArrayList<>();
        private XmlNode distances;
        private final List<Map<String, String>> cpus = new ArrayList<>();

        public int getId() { return id; }
        public void setId(int id) { this.id = id; }
        /** The cell's memory, -1 when not reported. */
        public long getMemoryKiB() { return memoryKiB; }
        public void setMemoryKiB(long memoryKiB) { this.memoryKiB = memoryKiB; }
        public List<XmlNode> getPages() { return pages; }
        public XmlNode getDistances() { return distances; }
        public void setDistances(XmlNode distances) { this.distances = distances; }
        /** The cell's CPUs, each as its attributes (id, socket_id, die_id, core_id, siblings). */
        public List<Map<String, String>> getCpus() { return cpus; }

        Cell copy() {
            Cell c = new Cell();
            c.id = id;
            c.memoryKiB = memoryKiB;
            for (XmlNode p : pages) {
                c.pages.add(p.copy());
            }
            c.distances = distances == null ? null : distances.copy();
            for (Map<String, String> m : cpus) {
                c.cpus.add(new LinkedHashMap<>(m));
            }
            return c;
        }
    }

    /** The host part. */
    public static final class Host {
        private UUID uuid;
        private String arch;
        private final List<String> features = new ArrayList<>();
        private String cpuModel;
        private String cpuVendor;
        private final List<XmlNode> cpuMisc = new ArrayList<>();
        private Topology topology;
        private XmlNode maxPhysAddr;
        private final List<String> cpuFeatures = new ArrayList<>();
        private final List<Long> pageSizesKiB = new ArrayList<>();
        private XmlNode powerManagement;
        private XmlNode iommu;
        private boolean migrationLive;
        private boolean migration;
        private final List<String> migrationTransports = new ArrayList<>();
        private final List<Cell> cells = new ArrayList<>();
        private boolean topologyElement;
        private XmlNode cache;
        private XmlNode memoryBandwidth;
        private final List<SecModel> secModels = new ArrayList<>();

        public UUID getUuid() { return uuid; }
        public void setUuid(UUID uuid) { this.uuid = uuid; }
        /** The host CPU architecture, e.g. x86_64, i686. */
        public String getArch() { return arch; }
        public void setArch(String arch) { this.arch = arch; }
        /** Old-style host features ({@code <features><pae/>...}), e.g. pae, nonpae, vmx, svm. */
        public List<String> getFeatures() { return features; }
        public String getCpuModel() { return cpuModel; }
        public void setCpuModel(String cpuModel) { this.cpuModel = cpuModel; }
        public String getCpuVendor() { return cpuVendor; }
        public void setCpuVendor(String cpuVendor) { this.cpuVendor = cpuVendor; }
        /** CPU details kept as trees: microcode, signature, counter. */
        public List<XmlNode> getCpuMisc() { return cpuMisc; }
        /** The host CPU topology, or null. */
        public Topology getTopology() { return topology; }
        public void setTopology(Topology topology) { this.topology = topology; }
        public XmlNode getMaxPhysAddr() { return maxPhysAddr; }
        public void setMaxPhysAddr(XmlNode maxPhysAddr) { this.maxPhysAddr = maxPhysAddr; }
        /** CPU feature names ({@code <feature name='...'/>}). */
        public List<String> getCpuFeatures() { return cpuFeatures; }
        /** Supported page sizes in KiB. */
        public List<Long> getPageSizesKiB() { return pageSizesKiB; }
        /** The {@code <power_management>} element, or null when absent. */
        public XmlNode getPowerManagement() { return powerManagement; }
        public void setPowerManagement(XmlNode powerManagement) { this.powerManagement = powerManagement; }
        public XmlNode getIommu() { return iommu; }
        public void setIommu(XmlNode iommu) { this.iommu = iommu; }
        /** Whether {@code <migration_features>} is present. */
        public boolean hasMigrationFeatures() { return migration; }
        public void setMigrationFeatures(boolean migration) { this.migration = migration; }
        public boolean isMigrationLive() { return migrationLive; }
        public void setMigrationLive(boolean live) { this.migrationLive = live; migration |= live; }
        public List<String> getMigrationTransports() { return migrationTransports; }
        /** NUMA cells; empty when the topology is not reported. */
        public List<Cell> getCells() { return cells; }
        public XmlNode getCache() { return cache; }
        public void setCache(XmlNode cache) { this.cache = cache; }
        public XmlNode getMemoryBandwidth() { return memoryBandwidth; }
        public void setMemoryBandwidth(XmlNode memoryBandwidth) { this.memoryBandwidth = memoryBandwidth; }
        public List<SecModel> getSecModels() { return secModels; }

        boolean hasTopologyElement() { return topologyElement || !cells.isEmpty(); }
        void setTopologyElement(boolean b) { topologyElement = b; }

        Host copy() {
            Host h = new Host();
            h.uuid = uuid;
            h.arch = arch;
            h.features.addAll(features);
            h.cpuModel = cpuModel;
            h.cpuVendor = cpuVendor;
            for (XmlNode x : cpuMisc) {
                h.cpuMisc.add(x.copy());
            }
            h.topology = topology;
            h.maxPhysAddr = maxPhysAddr == null ? null : maxPhysAddr.copy();
            h.cpuFeatures.addAll(cpuFeatures);
            h.pageSizesKiB.addAll(pageSizesKiB);
            h.powerManagement = powerManagement == null ? null : powerManagement.copy();
            h.iommu = iommu == null ? null : iommu.copy();
            h.migration = migration;
            h.migrationLive = migrationLive;
            h.migrationTransports.addAll(migrationTransports);
            for (Cell c : cells) {
                h.cells.add(c.copy());
            }
            h.topologyElement = topologyElement;
            h.cache = cache == null ? null : cache.copy();
            h.memoryBandwidth = memoryBandwidth == null ? null : memoryBandwidth.copy();
            for (SecModel s : secModels) {
                h.secModels.add(s.copy());
            }
            return h;
        }
    }

    /** A machine type; canonical and maxCpus may be null / 0. */
    public record Machine(String name, String canonical, int maxCpus, Map<String, String> otherAttributes) {
        public Machine(String name, String canonical, int maxCpus) {
            this(name, canonical, maxCpus, Map.of());
        }
    }

    /** A {@code <domain type=...>} a guest supports, optionally with its own emulator and machines. */
    public static final class GuestDomain {
        private String type;
        private String emulator;
        private final List<Machine> machines = new ArrayList<>();

        public GuestDomain() {
        }

        public GuestDomain(String type) {
            this.type = type;
        }

        public String getType() { return type; }
        public void setType(String type) { this.type = type; }
        public String getEmulator() { return emulator; }
        public void setEmulator(String emulator) { this.emulator = emulator; }
        public List<Machine> getMachines() { return machines; }

        GuestDomain copy() {
            GuestDomain g = new GuestDomain(type);
            g.emulator = emulator;
            g.machines.addAll(machines);
            return g;
        }
    }

    /** A guest: an OS type on an architecture. */
    public static final class Guest {
        private String osType;
        private String arch;
        private int wordsize;
        private String emulator;
        private String loader;
        private final List<Machine> machines = new ArrayList<>();
        private final List<GuestDomain> domains = new ArrayList<>();
        private final List<XmlNode> features = new ArrayList<>();
        private boolean featuresElement;

        public String getOsType() { return osType; }
        public void setOsType(String osType) { this.osType = osType; }
        public String getArch() { return arch; }
        public void setArch(String arch) { this.arch = arch; }
        public int getWordsize() { return wordsize; }
        public void setWordsize(int wordsize) { this.wordsize = wordsize; }
        public String getEmulator() { return emulator; }
        public void setEmulator(String emulator) { this.emulator = emulator; }
        public String getLoader() { return loader; }
        public void setLoader(String loader) { this.loader = loader; }
        public List<Machine> getMachines() { return machines; }
        public List<GuestDomain> getDomains() { return domains; }
        /** Guest features, each an element such as {@code <acpi default='on' toggle='yes'/>} or {@code <pae/>}. */
        public List<XmlNode> getFeatures() { return features; }

        /** The names of the guest features. */
        public List<String> getFeatureNames() {
            List<String> out = new ArrayList<>(features.size());
            for (XmlNode f : features) {
                out.add(f.getName());
            }
            return out;
        }

        boolean hasFeaturesElement() { return featuresElement || !features.isEmpty(); }
        void setFeaturesElement(boolean b) { featuresElement = b; }

        /** The emulator for a virt type: the domain's own, else the guest's. */
        public String emulatorFor(String virtType) {
            for (GuestDomain d : domains) {
                if (d.getType().equals(virtType) && d.getEmulator() != null) {
                    return d.getEmulator();
                }
            }
            return emulator;
        }

        Guest copy() {
            Guest g = new Guest();
            g.osType = osType;
            g.arch = arch;
            g.wordsize = wordsize;
            g.emulator = emulator;
            g.loader = loader;
            g.machines.addAll(machines);
            for (GuestDomain d : domains) {
                g.domains.add(d.copy());
            }
            for (XmlNode f : features) {
                g.features.add(f.copy());
            }
            g.featuresElement = featuresElement;
            return g;
        }
    }

    private final Host host = new Host();
    private final List<Guest> guests = new ArrayList<>();

    public Host getHost() { return host; }
    public List<Guest> getGuests() { return guests; }

    /** The first guest matching the OS type, arch and virt type (any may be null), or null. */
    public Guest findGuest(String osType, String arch, String virtType) {
        for (Guest g : guests) {
            if (osType != null && !osType.equals(g.getOsType())) {
                continue;
            }
            if (arch != null && !arch.equals(g.getArch())) {
                continue;
            }
            if (virtType != null) {
                boolean ok = false;
                for (GuestDomain d : g.getDomains()) {
                    ok |= d.getType().equals(virtType);
                }
                if (!ok) {
                    continue;
                }
            }
            return g;
        }
        return null;
    }

    public CapabilitiesDef copy() {
        CapabilitiesDef c = new CapabilitiesDef();
        Host h = host.copy();
        c.host.uuid = h.uuid;
        c.host.arch = h.arch;
        c.host.features.addAll(h.features);
        c.host.cpuModel = h.cpuModel;
        c.host.cpuVendor = h.cpuVendor;
        c.host.cpuMisc.addAll(h.cpuMisc);
        c.host.topology = h.topology;
        c.host.maxPhysAddr = h.maxPhysAddr;
        c.host.cpuFeatures.addAll(h.cpuFeatures);
        c.host.pageSizesKiB.addAll(h.pageSizesKiB);
        c.host.powerManagement = h.powerManagement;
        c.host.iommu = h.iommu;
        c.host.migration = h.migration;
        c.host.migrationLive = h.migrationLive;
        c.host.migrationTransports.addAll(h.migrationTransports);
        c.host.cells.addAll(h.cells);
        c.host.topologyElement = h.topologyElement;
        c.host.cache = h.cache;
        c.host.memoryBandwidth = h.memoryBandwidth;
        c.host.secModels.addAll(h.secModels);
        for (Guest g : guests) {
            c.guests.add(g.copy());
        }
        return c;
    }

    @Override
    public String toString() {
        return CapabilitiesXml.format(this);
    }
}
