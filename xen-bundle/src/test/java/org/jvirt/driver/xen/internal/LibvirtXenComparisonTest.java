package org.jvirt.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.NodeInfo;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.shell.Jvirsh;

/**
 * jvirt's Xen driver against libvirt's own (the libxl driver of Debian's libvirt 9.0, in a private libvirtd
 * on the faked Xen host, see {@link LibvirtLibxlDaemon}).
 *
 * <p>For every xl.cfg, ours (src/test/resources/xl2xml) and libvirt's own test configs
 * (tests/xlconfigdata/*.cfg of libvirt's Debian source, read where it lies, never copied here), stock
 * {@code virsh domxml-from-native xen-xl FILE} and {@code jvirsh -c xen:///system domxml-from-native xen-xl
 * FILE} must print the same bytes; then {@code domxml-to-native xen-xl} of libvirt's XML must print the same
 * xl.cfg from both. The same for {@code xen-xm} over tests/xmconfigdata and src/test/resources/xm-compare,
 * plus {@code domxml-to-native xen-xm} of libvirt's own XML files in xmconfigdata. The configs listed in {@link #KNOWN} with the reason are the documented exceptions: for
 * them the outputs must still differ (an entry that starts to agree fails, so the list stays true).
 *
 * <p>libvirt's source: {@code -Djvirt.corpus=DIR}, else {@code ~/.cache/jvirt/libvirt-source}, fetched
 * there with {@code apt-get source libvirt} under CI=true (failing if it cannot); elsewhere the corpus part
 * is skipped without it.
 */
class LibvirtXenComparisonTest {
    /** libvirt's configs (names without .cfg) whose conversion still differs from libvirt's, and why. */
    static final Map<String, String> KNOWN = new LinkedHashMap<>();
    static final String XEN_XL = "xen-xl";
    static final String XEN_XM = "xen-xm";

    static {
        // none at the moment: all 48 of libvirt's xlconfigdata configs and all 38 xmconfigdata configs (with
        // their 38 XML files) agree in both directions; a xen-xm entry would be keyed "xm:NAME"
    }

    @TempDir
    static Path dir;
    static FakeXen xen;
    static LibvirtLibxlDaemon libvirt;

    @BeforeAll
    static void start() throws Exception {
        LibvirtLibxlDaemon.requirePackages();
        xen = FakeXen.start(dir);
        libvirt = LibvirtLibxlDaemon.start(xen, Files.createDirectories(dir.resolve("libvirtd")));
    }

    @AfterAll
    static void stop() {
        if (libvirt != null) {
            libvirt.close();
        }
        if (xen != null) {
            xen.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> ourConfigs() throws IOException {
        return configs(Path.of("src/test/resources/xl2xml").toAbsolutePath());
    }

    /**
     * jvirt's own variants of the devices and features only libvirt's converter checks (src/test/resources/
     * xl-compare: pci, usbdev, usbdevice, usbctrl, spice, vnuma, rbd, passthrough, e820_host,
     * device_model_args); compared with libvirt only, as xl cannot build most of them on the faked host.
     */
    @TestFactory
    Stream<DynamicTest> ourDeviceConfigs() throws IOException {
        return configs(Path.of("src/test/resources/xl-compare").toAbsolutePath(), 3);
    }

    /** jvirt's own xm configs (src/test/resources/xm-compare) as xen-xm, compared with libvirt both ways. */
    @TestFactory
    Stream<DynamicTest> ourXmConfigs() throws IOException {
        return configs(Path.of("src/test/resources/xm-compare").toAbsolutePath(), 3, XEN_XM);
    }

    @TestFactory
    Stream<DynamicTest> libvirtsConfigs() throws Exception {
        return configs(corpus().resolve("xlconfigdata"));
    }

    /**
     * libvirt's xm configs (tests/xmconfigdata/*.cfg) as {@code xen-xm}: from-native of each cfg, to-native
     * of the XML libvirt made of it, and to-native of libvirt's own XML beside the cfg (NAME.xml, and the XML
     * files there without a cfg).
     */
    @TestFactory
    Stream<DynamicTest> libvirtsXmConfigs() throws Exception {
        Path folder = corpus().resolve("xmconfigdata");
        List<DynamicTest> tests = new ArrayList<>(configs(folder, 30, XEN_XM).toList());
        List<Path> xmls;
        try (Stream<Path> s = Files.list(folder)) {
            xmls = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        for (Path xml : xmls) {
            String name = xml.getFileName().toString().replaceFirst("\\.xml$", "");
            tests.add(DynamicTest.dynamicTest(name + ".xml", () -> compareToNative(name + ".xml", xml, XEN_XM)));
        }
        return tests.stream();
    }

    private Stream<DynamicTest> configs(Path folder) throws IOException {
        return configs(folder, 5);
    }

    private Stream<DynamicTest> configs(Path folder, int atLeast) throws IOException {
        return configs(folder, atLeast, XEN_XL);
    }

    private Stream<DynamicTest> configs(Path folder, int atLeast, String format) throws IOException {
        List<Path> cfgs;
        try (Stream<Path> s = Files.list(folder)) {
            cfgs = s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
        }
        assertTrue(cfgs.size() >= atLeast, "too few xl.cfg files in " + folder);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path cfg : cfgs) {
            String name = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
            tests.add(DynamicTest.dynamicTest(name, () -> compare(name, cfg, format)));
        }
        return tests.stream();
    }

    /** A known difference, by format: xen-xl's names as they are, xen-xm's as xm:NAME. */
    private static String known(String name, String format) {
        return KNOWN.get(format.equals(XEN_XM) ? "xm:" + name : name);
    }

    /** domxml-to-native of one of libvirt's XML files, in virsh and jvirsh. */
    private static void compareToNative(String name, Path xml, String format) throws Exception {
        LibvirtLibxlDaemon.Result theirs = libvirt.virshResult("domxml-to-native", format, xml.toString());
        LibvirtLibxlDaemon.Result mine = jvirshResult("domxml-to-native", format, xml.toString());
        boolean sameOut = same(prefix(format) + name + ".native", theirs, mine);
        String why = known(name, format);
        if (why != null) {
            assertFalse(sameOut, name + " now agrees with libvirt: remove it from KNOWN (" + why + ")");
            return;
        }
        assertEquals(shown(theirs), shown(mine), name + ": domxml-to-native " + format + " differs from libvirt");
    }

    private static String prefix(String format) {
        return format.equals(XEN_XM) ? "xm-" : "";
    }

    private static void compare(String name, Path cfg, String format) throws Exception {
        LibvirtLibxlDaemon.Result theirs = libvirt.virshResult("domxml-from-native", format, cfg.toString());
        LibvirtLibxlDaemon.Result mine = jvirshResult("domxml-from-native", format, cfg.toString());
        boolean xmlSame = same(prefix(format) + name + ".xml", theirs, mine);
        boolean nativeSame = true;
        LibvirtLibxlDaemon.Result theirCfg = null;
        LibvirtLibxlDaemon.Result ourCfg = null;
        if (theirs.exit() == 0) {
            Path xml = dir.resolve(prefix(format) + name + ".libvirt.xml");
            Files.writeString(xml, theirs.out());
            theirCfg = libvirt.virshResult("domxml-to-native", format, xml.toString());
            ourCfg = jvirshResult("domxml-to-native", format, xml.toString());
            nativeSame = same(prefix(format) + name + ".native", theirCfg, ourCfg);
        }
        String why = known(name, format);
        if (why != null) {
            assertFalse(xmlSame && nativeSame, name + " now agrees with libvirt: remove it from KNOWN (" + why + ")");
            return;
        }
        assertEquals(shown(theirs), shown(mine), name + ": domxml-from-native differs from libvirt");
        if (theirCfg != null) {
            assertEquals(shown(theirCfg), shown(ourCfg), name + ": domxml-to-native of libvirt's XML differs from libvirt");
        }
    }

    /** What a run showed: its output, or (when it failed) its error line(s). */
    private static String shown(LibvirtLibxlDaemon.Result r) {
        return r.exit() == 0 ? r.out() : "failed: " + r.err().strip();
    }

    private static boolean same(String what, LibvirtLibxlDaemon.Result theirs, LibvirtLibxlDaemon.Result ours)
            throws IOException {
        return same(what, shown(theirs), shown(ours));
    }

    /** Whether both printed the same; if not, both are kept in target/xen-compare for a look (diff -u). */
    private static boolean same(String what, String theirs, String ours) throws IOException {
        if (theirs.equals(ours)) {
            return true;
        }
        Path keep = Files.createDirectories(Path.of("target/xen-compare"));
        Files.writeString(keep.resolve(what + ".libvirt"), theirs);
        Files.writeString(keep.resolve(what + ".jvirt"), ours);
        return false;
    }

    /** jvirsh in this JVM, which (as jvirtd) owns xen:///system; its standard output. */
    static String jvirsh(String... args) {
        LibvirtLibxlDaemon.Result r = jvirshResult(args);
        assertEquals(0, r.exit(), "jvirsh " + String.join(" ", args) + ": " + r.err());
        return r.out();
    }

    static LibvirtLibxlDaemon.Result jvirshResult(String... args) {
        String old = System.getProperty(XenDriver.DAEMON_PROPERTY);
        System.setProperty(XenDriver.DAEMON_PROPERTY, "true");
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            List<String> a = new ArrayList<>(List.of("-c", "xen:///system"));
            a.addAll(List.of(args));
            int rc = Jvirsh.run(a.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), InputStream.nullInputStream());
            return new LibvirtLibxlDaemon.Result(rc, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            if (old == null) {
                System.clearProperty(XenDriver.DAEMON_PROPERTY);
            } else {
                System.setProperty(XenDriver.DAEMON_PROPERTY, old);
            }
        }
    }

    /** virsh nodeinfo of libvirt's libxl driver and jvirt's node info, on the same faked host. */
    @Test
    void nodeInfoAgrees() throws Exception {
        Map<String, String> theirs = new LinkedHashMap<>();
        for (String line : libvirt.virsh("nodeinfo").split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                theirs.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        try (Connect c = FrontEndImpl.of(XenDriverTest.driver(dir.resolve("etc-nodeinfo"), true, xen))
                .open("xen:///system", null, java.util.Set.of())) {
            NodeInfo n = c.nodeInfo();
            assertEquals(theirs.get("CPU model"), n.model());
            assertEquals(theirs.get("CPU(s)"), Integer.toString(n.cpus()));
            assertEquals(theirs.get("CPU frequency"), n.mhz() + " MHz");
            assertEquals(theirs.get("CPU socket(s)"), Integer.toString(n.sockets()));
            assertEquals(theirs.get("Core(s) per socket"), Integer.toString(n.cores()));
            assertEquals(theirs.get("Thread(s) per core"), Integer.toString(n.threads()));
            assertEquals(theirs.get("NUMA cell(s)"), Integer.toString(n.nodes()));
            // libvirt multiplies physinfo's pages by XENVER_pagesize (which the faked hypervisor answers: 4096)
            assertEquals(theirs.get("Memory size"), n.memoryKiB() + " KiB");
        }
    }

    /** libvirt's tests/ directory: given, cached, or (under CI) fetched with apt-get source. */
    static Path corpus() throws Exception {
        String given = System.getProperty("jvirt.corpus");
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            return Files.isDirectory(p.resolve("tests")) ? p.resolve("tests") : p;
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "jvirt", "libvirt-source");
        Path found = findTests(cache);
        if (found == null && FakeXen.CI) {
            Files.createDirectories(cache);
            Process p = new ProcessBuilder("apt-get", "source", "libvirt").directory(cache.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
                fail("apt-get source libvirt failed in " + cache + " (needs a deb-src line and dpkg-dev):\n" + out);
            }
            found = findTests(cache);
            if (found == null) {
                fail("apt-get source libvirt left no libvirt-*/tests/xlconfigdata in " + cache + ":\n" + out);
            }
        }
        if (found == null) {
            Assumptions.abort("no libvirt source in " + cache + " (apt-get source libvirt there, or -Djvirt.corpus=DIR)");
        }
        return found;
    }

    private static Path findTests(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return null;
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.filter(p -> p.getFileName().toString().startsWith("libvirt-")
                    && Files.isDirectory(p.resolve("tests/xlconfigdata"))).sorted()
                    .map(p -> p.resolve("tests")).findFirst().orElse(null);
        }
    }
}
