package org.jvirt.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.NodeInfo;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.shell.Jvirsh;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.OpenContext;

/** The driver on the faked Xen host: open, node info, capabilities, define/undefine, a start Xen refuses. */
class XenDriverTest {
    @TempDir
    static Path dir;
    static FakeXen xen;

    @BeforeAll
    static void start() throws Exception {
        xen = FakeXen.start(dir);
    }

    @AfterAll
    static void stop() {
        if (xen != null) {
            xen.close();
        }
    }

    static XenDriver driver(Path configDir, boolean daemon) {
        return driver(configDir, daemon, xen);
    }

    static XenDriver driver(Path configDir, boolean daemon, FakeXen xen) {
        XenDriver d = new XenDriver();
        Map<String, Object> p = new HashMap<>();
        p.put("daemon", Boolean.toString(daemon));
        p.put("configDir", configDir.toString());
        p.put("xl", FakeXen.XL.toString());
        p.put("xenstore", xen.socket().toString());
        for (Map.Entry<String, String> e : xen.toolEnv().entrySet()) {
            p.put("toolstack.env." + e.getKey(), e.getValue());
        }
        d.configure(p);
        return d;
    }

    static final String PV = "<domain type='xen'><name>pv1</name><uuid>5b4c0a1e-7f3d-4a52-9c41-0d2e8f6a7b13</uuid>"
            + "<memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type>linux</type><kernel>/boot/vmlinuz</kernel>"
            + "</os><devices><disk type='file' device='disk'><source file='/srv/pv1.img'/>"
            + "<target dev='xvda' bus='xen'/></disk></devices></domain>";

    @Test
    void outsideTheDaemonXenSystemIsDeclined() {
        XenDriver d = driver(dir.resolve("etc-declined"), false);
        assertEquals(Optional.empty(), d.open(VirtUri.parse("xen:///system"), new OpenContext(false, null, EventSink.NONE)));
    }

    @Test
    void nodeInfoAndCapabilitiesComeFromXl() {
        try (Connect c = FrontEndImpl.of(driver(dir.resolve("etc1"), true)).open("xen:///system", null, java.util.Set.of())) {
            assertEquals("Xen", c.getType());
            NodeInfo n = c.nodeInfo();
            assertEquals(2, n.cpus());
            assertEquals(2000, n.mhz());
            assertEquals(2, n.cores());
            assertEquals(1, n.threads());
            assertEquals(4017000, c.getVersion());
            String caps = c.getCapabilities();
            assertTrue(caps.contains("<os_type>hvm</os_type>"), caps);
            assertTrue(caps.contains("<os_type>xen</os_type>"), caps);
            assertTrue(caps.contains("<machine>xenfv</machine>"), caps);
        }
    }

    @Test
    void defineUndefineAndAStartXenRefuses() throws Exception {
        Path etc = dir.resolve("etc2");
        try (Connect c = FrontEndImpl.of(driver(etc, true)).open("xen:///system", null, java.util.Set.of())) {
            Domain d = c.defineXML(PV);
            assertTrue(Files.readString(etc.resolve("pv1.xml")).contains("<name>pv1</name>"));
            assertEquals(List.of("pv1"), c.listDefinedDomains());
            assertTrue(d.getXMLDesc(java.util.Set.of()).contains("<memballoon model='xen'/>"));
            d.setAutostart(true);
            assertTrue(Files.exists(etc.resolve("autostart/pv1.xml")));
            VirtException e = assertThrows(VirtException.class, d::create);
            assertEquals(ErrorDomain.LIBXL, e.domain());
            assertEquals(ErrorCode.INTERNAL_ERROR, e.code());
            // libxl's own words, as xl printed them: no hypervisor can build the guest here
            assertTrue(e.getMessage().contains("libxenlight failed to create new domain 'pv1'"), e.getMessage());
            assertTrue(e.getMessage().contains("libxl: error:"), e.getMessage());
            assertFalse(d.isActive());
            d.undefine();
            assertFalse(Files.exists(etc.resolve("pv1.xml")));
            assertFalse(Files.exists(etc.resolve("autostart/pv1.xml")));
            assertEquals(List.of(), c.listDefinedDomains());
        }
        // definitions survive a new driver instance (a jvirtd restart)
        try (Connect c = FrontEndImpl.of(driver(etc, true)).open("xen:///system", null, java.util.Set.of())) {
            c.defineXML(PV);
        }
        try (Connect c = FrontEndImpl.of(driver(etc, true)).open("xen:///system", null, java.util.Set.of())) {
            assertEquals(List.of("pv1"), c.listDefinedDomains());
        }
    }

    @Test
    void nativeConfigThroughTheApi() throws Exception {
        try (Connect c = FrontEndImpl.of(driver(dir.resolve("etc3"), true)).open("xen:///system", null, java.util.Set.of())) {
            Path golden = Path.of("src/test/resources/xl2xml");
            assertEquals(Files.readString(golden.resolve("hvm-full.xml")),
                    c.domainXMLFromNative("xen-xl", Files.readString(golden.resolve("hvm-full.cfg"))));
            assertEquals(Files.readString(golden.resolve("hvm-full.native.cfg")),
                    c.domainXMLToNative("xen-xl", Files.readString(golden.resolve("hvm-full.xml"))));
            // libvirt's libxl driver: sxpr is refused as no longer supported, other formats as unknown
            VirtException e = assertThrows(VirtException.class, () -> c.domainXMLFromNative("xen-sxpr", "x"));
            assertEquals(ErrorCode.OPERATION_UNSUPPORTED, e.code());
            assertTrue(e.getMessage().contains("conversion from 'xen-sxpr' format is no longer supported"), e.getMessage());
            e = assertThrows(VirtException.class, () -> c.domainXMLFromNative("vmware-vmx", "x"));
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertTrue(e.getMessage().contains("unsupported config type vmware-vmx"), e.getMessage());
            e = assertThrows(VirtException.class, () -> c.domainXMLToNative("xen-sxpr",
                    Files.readString(golden.resolve("hvm-full.xml"))));
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            // xen-xm: jvirt's own xm config, its XML and the xm config written back (a fixed point)
            Path xm = Path.of("src/test/resources/xm-compare");
            String xml = c.domainXMLFromNative("xen-xm", Files.readString(xm.resolve("pv-xm.cfg")));
            assertTrue(xml.contains("<bootloader_args>-q</bootloader_args>"), xml);
            assertTrue(xml.contains("<cmdline>root=/dev/xvda1 console=hvc0</cmdline>"), xml);
            assertTrue(xml.contains("<driver name='tap' type='qcow2'/>"), xml);
            assertTrue(xml.contains("<shareable/>"), xml);
            String cfg = c.domainXMLToNative("xen-xm", xml);
            assertTrue(cfg.contains("extra = \"root=/dev/xvda1 console=hvc0\""), cfg);
            assertTrue(cfg.contains("\"tap:qcow2:/var/lib/xen/images/data.qcow2,xvdb,!\""), cfg);
            assertEquals(xml, c.domainXMLFromNative("xen-xm", cfg));
            // xm keeps one serial port
            e = assertThrows(VirtException.class, () -> c.domainXMLFromNative("xen-xm",
                    "name = \"h\"\nbuilder = \"hvm\"\nkernel = \"/usr/lib/xen/boot/hvmloader\"\nserial = [ \"pty\", \"pty\" ]\n"));
            assertEquals(ErrorCode.CONFIG_UNSUPPORTED, e.code());
            assertTrue(e.getMessage().contains("Multiple serial devices are not supported by xen-xm"), e.getMessage());
        }
    }

    @Test
    void jvirshDomxmlFromNative() throws Exception {
        // jvirsh in this JVM finds the driver by ServiceLoader; as in jvirtd, it owns xen:///system
        String old = System.getProperty(XenDriver.DAEMON_PROPERTY);
        System.setProperty(XenDriver.DAEMON_PROPERTY, "true");
        try {
            Path golden = Path.of("src/test/resources/xl2xml");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = Jvirsh.run(new String[] {"-c", "xen:///system", "domxml-from-native", "xen-xl",
                golden.resolve("pv-kernel.cfg").toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), InputStream.nullInputStream());
            assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
            assertEquals(Files.readString(golden.resolve("pv-kernel.xml")).strip(), out.toString(StandardCharsets.UTF_8).strip());
        } finally {
            if (old == null) {
                System.clearProperty(XenDriver.DAEMON_PROPERTY);
            } else {
                System.setProperty(XenDriver.DAEMON_PROPERTY, old);
            }
        }
    }
}
