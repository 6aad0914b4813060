package org.jvirt.driver.test.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.VirtException;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainJobs;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.NetworkXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** A fake host: its domains, networks and hardware. One per test URI, shared by its connections. */
final class TestHost {
    static final String DEFAULT_DOMAIN_XML = """
            <domain type='test'>
              <name>test</name>
              <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
              <memory>8388608</memory>
              <currentMemory>2097152</currentMemory>
              <vcpu>2</vcpu>
              <os>
                <type>hvm</type>
              </os>
              <devices>
                <disk type='file' device='disk'>
                  <source file='/guest/diskimage1'/>
                  <target dev='vda' bus='virtio'/>
                  <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
                </disk>
                <interface type='network'>
                  <mac address='aa:bb:cc:dd:ee:ff'/>
                  <source network='default'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
                </interface>
                <memballoon model='virtio'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
                </memballoon>
              </devices>
            </domain>
            """;

    static final String DEFAULT_NETWORK_XML = """
            <network>
              <name>default</name>
              <uuid>dd8fe884-6c02-601e-7551-cca97df1c5df</uuid>
              <bridge name='virbr0'/>
              <forward/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;

    static final NodeInfo DEFAULT_NODE = new NodeInfo("i686", 3L * 1024 * 1024, 16, 1400, 2, 2, 2, 2);

    /** The domains; its own lock only guards its indices, state changes hold the host's lock. */
    final DomainList<TestDomain> domains = new DomainList<>(ErrorDomain.TEST);
    /** Every connection's event callbacks: events go to those that asked for them. */
    final DomainEvents.Hub events = new DomainEvents.Hub();
    /** Save, dump, restore and migration jobs; answered without the host's lock, which a job holds. */
    final DomainJobs jobs = new DomainJobs(ErrorDomain.TEST, events);
    final Map<String, TestNetwork> networks = new LinkedHashMap<>();
    final Map<String, DomainDef> incoming = new LinkedHashMap<>();
    final TestXmlHooks hooks = new TestXmlHooks();
    NodeInfo node = DEFAULT_NODE;
    /** The NUMA cells' memory in bytes: libvirt's default host has two (2 and 4 MiB), a host file none. */
    long[] cellMemoryBytes = new long[0];
    /** The NUMA cells' free memory in bytes, fixed whatever runs: 1 and 2 MiB on the default host. */
    long[] cellFreeBytes = new long[0];
    private int refs;

    static TestHost createDefault() {
        TestHost h = new TestHost();
        h.cellMemoryBytes = new long[] {2048L * 1024, 2 * 2048L * 1024};
        h.cellFreeBytes = new long[] {1024L * 1024, 2 * 1024L * 1024};
        h.addRunning(DomainXml.parse(DEFAULT_DOMAIN_XML, h.hooks), 0); // running, reason unknown, as libvirt
        h.addNetwork(NetworkXml.parse(DEFAULT_NETWORK_XML));
        return h;
    }

    /** Loads a host description file, as libvirt's test driver does. */
    static TestHost load(Path file) {
        Document doc = readDocument(file);
        Element root = doc.getDocumentElement();
        if (!"node".equals(root.getTagName())) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.TEST,
                    "Root element is not 'node' in " + file);
        }
        TestHost h = new TestHost();
        long memory = DEFAULT_NODE.memoryKiB();
        String model = DEFAULT_NODE.model();
        int mhz = DEFAULT_NODE.mhz();
        int cpus = DEFAULT_NODE.cpus();
        int nodes = DEFAULT_NODE.nodes();
        int sockets = DEFAULT_NODE.sockets();
        int cores = DEFAULT_NODE.cores();
        int threads = DEFAULT_NODE.threads();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            switch (e.getTagName()) {
                case "domain" -> h.addRunning(DomainXml.parse(inlineOrFile(file, e), h.hooks),
                        DomainStatus.RUNNING_BOOTED);
                case "network" -> h.addNetwork(NetworkXml.parse(inlineOrFile(file, e)));
                case "memory" -> memory = number(file, e);
                case "cpu" -> {
                    for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                        if (c instanceof Element ce) {
                            switch (ce.getTagName()) {
                                case "mhz" -> mhz = (int) number(file, ce);
                                case "model" -> model = ce.getTextContent().trim();
                                case "active" -> cpus = (int) number(file, ce);
                                case "nodes" -> nodes = (int) number(file, ce);
                                case "sockets" -> sockets = (int) number(file, ce);
                                case "cores" -> cores = (int) number(file, ce);
                                case "threads" -> threads = (int) number(file, ce);
                                default -> { }
                            }
                        }
                    }
                }
                default -> { } // pools, interfaces and node devices are not modelled
            }
        }
        h.node = new NodeInfo(model, memory, Math.min(cpus, nodes * sockets * cores * threads), mhz, nodes, sockets,
                cores, threads);
        return h;
    }

    private static long number(Path file, Element e) {
        String text = e.getTextContent().trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException ex) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.TEST,
                    "invalid number '" + text + "' in <" + e.getTagName() + "> of " + file);
        }
    }

    private static Document readDocument(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder().parse(file.toFile());
        } catch (IOException e) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                    "cannot read host description '" + file + "': " + e.getMessage());
        } catch (SAXException e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.TEST, file + ": " + e.getMessage());
        } catch (Exception e) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "XML parser: " + e);
        }
    }

    /** The element's XML, or that of the file its {@code file} attribute names (relative to the host file). */
    private static String inlineOrFile(Path hostFile, Element e) {
        String ref = e.getAttribute("file");
        if (!ref.isEmpty()) {
            Path p = hostFile.toAbsolutePath().getParent().resolve(ref);
            try {
                return Files.readString(p);
            } catch (IOException ex) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                        "cannot read '" + p + "' named in " + hostFile + ": " + ex.getMessage());
            }
        }
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(e), new StreamResult(w));
            return w.toString();
        } catch (Exception ex) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "XML serializer: " + ex);
        }
    }

    void retain() {
        refs++;
    }

    /** Returns true when the last connection is gone. */
    boolean release() {
        return --refs <= 0;
    }

    // ---- state changes (callers hold the host's lock) ---------------------------------------------

    private void addRunning(DomainDef def, int reason) {
        TestDomain d = new TestDomain(def);
        put(d);
        start(d, reason);
    }

    private void addNetwork(org.jvirt.xml.NetworkDef def) {
        networks.put(def.getName(), new TestNetwork(def, true, true));
    }

    void put(TestDomain d) {
        domains.add(d);
    }

    void remove(TestDomain d) {
        domains.remove(d);
        jobs.forget(d.ref());
    }

    /** Starts a domain from its persistent definition (or its live one if already set). */
    void start(TestDomain d, int reason) {
        if (d.live == null) {
            d.live = d.persistent.copy();
        }
        d.id = domains.allocateId();
        d.managedSave = false; // as libvirt's test driver, a start forgets the image rather than restoring it
        d.setState(DomainState.RUNNING, reason);
    }

    /** Stops a domain; a transient one is forgotten. */
    void stop(TestDomain d, int reason) {
        d.ref(); // keeps the identity for events about a transient domain that is now gone
        if (d.persistent == null) {
            remove(d);
        }
        d.live = null;
        d.id = -1;
        d.setState(DomainState.SHUTOFF, reason);
    }

    /** A lifecycle event, delivered (synchronously) to the connections that asked for it. */
    void emit(TestDomain d, DomainEventType type, int detail) {
        events.lifecycle(d.ref(), type, detail);
    }

    List<TestDomain> domains() {
        return domains.all();
    }
}
