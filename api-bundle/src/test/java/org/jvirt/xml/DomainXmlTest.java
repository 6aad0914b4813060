package org.jvirt.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;

/** API-level tests of the domain model: hooks order, defaults, units, devices, copy, secrets. */
class DomainXmlTest {
    private static final String MIN = "<domain type='kvm'><name>d</name><memory unit='MiB'>64</memory>"
        + "<os><type>hvm</type></os><devices>"
        + "<disk type='file' device='disk'><source file='/a.img'/><target dev='vda'/></disk>"
        + "<disk type='file' device='disk'><source file='/b.img'/><target dev='vdb'/></disk>"
        + "<interface type='network'><mac address='52:54:00:00:00:01'/><source network='default'/></interface>"
        + "<interface type='bridge'><mac address='52:54:00:00:00:02'/><source bridge='br0'/>"
        + "<target dev='vnet1'/></interface>"
        + "<graphics type='vnc' passwd='hush'/>"
        + "</devices></domain>";

    @Test
    void genericDefaults() {
        DomainDef d = DomainXml.parse(MIN);
        assertNotNull(d.getUuid());
        assertEquals(65536, d.getMemoryKiB());
        assertEquals(65536, d.getCurrentMemoryKiB());
        assertEquals(1, d.getVcpus());
        assertEquals(List.of("hd"), d.getOs().getBootDevices());
        assertEquals("utc", d.getClockOffset());
        assertEquals("destroy", d.getOnPoweroff());
        assertEquals("restart", d.getOnReboot());
        assertEquals("destroy", d.getOnCrash());
        assertEquals("virtio", d.getDisks().get(0).getTargetBus());
        assertTrue(d.getGraphics().get(0).isAutoport());
    }

    @Test
    void memoryUnits() {
        String[][] cases = {{"b", "1024", "1"}, {"bytes", "2048", "2"}, {"KB", "1024", "1000"}, {"K", "1", "1"},
            {"KiB", "7", "7"}, {"MB", "1", "977"}, {"M", "1", "1024"}, {"MiB", "2", "2048"}, {"GB", "1", "976563"},
            {"G", "1", "1048576"}, {"GiB", "1", "1048576"}, {"TB", "1", "976562500"}, {"T", "1", "1073741824"},
            {"TiB", "1", "1073741824"}};
        for (String[] c : cases) {
            DomainDef d = DomainXml.parse("<domain type='test'><name>u</name><memory unit='" + c[0] + "'>" + c[1]
                + "</memory><os><type>hvm</type></os></domain>");
            assertEquals(Long.parseLong(c[2]), d.getMemoryKiB(), c[0]);
        }
    }

    @Test
    void hooksRunInOrderAndValidateSeesDefaults() {
        List<String> calls = new ArrayList<>();
        DomainXmlHooks hooks = new DomainXmlHooks() {
            @Override
            public void postParse(DomainDef def) {
                calls.add("postParse");
                def.getOs().setArch("x86_64");
                def.getOs().setMachine("pc");
            }

            @Override
            public void validate(DomainDef def) {
                calls.add("validate:" + def.getOs().getMachine());
                if (def.getVcpus() > 1) {
                    throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, org.jvirt.api.ErrorDomain.DOMAIN, "too many");
                }
            }
        };
        DomainDef d = DomainXml.parse(MIN, hooks);
        assertEquals(List.of("postParse", "validate:pc"), calls);
        assertTrue(DomainXml.format(d, DomainXml.Format.DEFAULT).contains("<type arch='x86_64' machine='pc'>hvm</type>"));
        VirtException e = assertThrows(VirtException.class,
            () -> DomainXml.parse(MIN.replace("<os>", "<vcpu>2</vcpu><os>"), hooks));
        assertEquals(ErrorCode.CONFIG_UNSUPPORTED, e.code());
    }

    @Test
    void formatOptions() {
        DomainDef d = DomainXml.parse(MIN);
        String plain = DomainXml.format(d, DomainXml.Format.DEFAULT);
        assertTrue(plain.startsWith("<domain type='kvm'>\n"));
        assertFalse(plain.contains("passwd"));
        String secure = DomainXml.format(d, new DomainXml.Format(7, true, false));
        assertTrue(secure.startsWith("<domain type='kvm' id='7'>\n"));
        assertTrue(secure.contains("passwd='hush'"));
        d.getGraphics().get(0).setPort(5901);
        assertTrue(DomainXml.format(d, DomainXml.Format.DEFAULT).contains("port='5901' autoport='yes'"));
        assertTrue(DomainXml.format(d, DomainXml.Format.INACTIVE).contains("port='-1' autoport='yes'"));
    }

    @Test
    void escaping() {
        DomainDef d = DomainXml.parse(MIN);
        d.setDescription("a<b & 'c' \"d\"");
        d.getDisks().get(0).setSourcePath("/x'y");
        String xml = DomainXml.format(d, DomainXml.Format.DEFAULT);
        assertTrue(xml.contains("<description>a&lt;b &amp; &apos;c&apos; &quot;d&quot;</description>"));
        assertTrue(xml.contains("<source file='/x&apos;y'/>"));
        assertEquals(xml, DomainXml.format(DomainXml.parse(xml), DomainXml.Format.DEFAULT));
    }

    @Test
    void copyIsDeep() {
        DomainDef d = DomainXml.parse(MIN);
        DomainDef c = d.copy();
        assertEquals(DomainXml.format(d, DomainXml.Format.DEFAULT), DomainXml.format(c, DomainXml.Format.DEFAULT));
        assertNotSame(d.getDisks().get(0), c.getDisks().get(0));
        c.getDisks().get(0).setSourcePath("/changed");
        c.getOs().getBootDevices().add("cdrom");
        c.getFeatures().add("acpi");
        assertEquals("/a.img", d.getDisks().get(0).getSourcePath());
        assertEquals(List.of("hd"), d.getOs().getBootDevices());
        assertTrue(d.getFeatures().isEmpty());
    }

    @Test
    void deviceParseFormatAndMatch() {
        DomainDef d = DomainXml.parse(MIN);
        DeviceDef disk = DomainXml.parseDevice("<disk type='file'><source file='/c.img'/><target dev='vdc'/></disk>");
        assertTrue(disk instanceof DiskDef);
        assertEquals("<disk type='file' device='disk'>\n  <source file='/c.img'/>\n  <target dev='vdc' bus='virtio'/>\n"
            + "</disk>\n", DomainXml.formatDevice(disk));
        d.addDevice(disk);
        assertEquals(3, d.getDisks().size());

        assertSame(d, d.getDisks().get(1), DomainXml.parseDevice("<disk><source file='/x'/><target dev='vdb'/></disk>"));
        assertSame(d, d.getDisks().get(0), DomainXml.parsePartialDevice("<disk type='file'><source file='/a.img'/></disk>"));
        assertSame(d, d.getInterfaces().get(1),
            DomainXml.parseDevice("<interface type='bridge'><mac address='52:54:00:00:00:02'/><source bridge='x'/></interface>"));
        assertSame(d, d.getInterfaces().get(0),
            DomainXml.parsePartialDevice("<interface type='network'><mac address='52:54:00:00:00:01'/></interface>"));
        assertSame(d, d.getInterfaces().get(1),
            DomainXml.parsePartialDevice("<interface type='bridge'><target dev='vnet1'/></interface>"));
        assertNull(DomainXml.findDevice(d,
            DomainXml.parsePartialDevice("<interface type='user'><mac address='52:54:00:00:00:09'/></interface>")));
        DeviceDef found = DomainXml.findDevice(d, DomainXml.parsePartialDevice("<disk><target dev='vdc'/></disk>"));
        assertTrue(d.removeDevice(found));
        assertEquals(2, d.getDisks().size());

        VirtException e = assertThrows(VirtException.class, () -> DomainXml.parseDevice("<tardis/>"));
        assertEquals(ErrorCode.XML_ERROR, e.code());
        assertThrows(VirtException.class, () -> DomainXml.parseDevice("<disk"));
    }

    private static void assertSame(DomainDef d, DeviceDef expected, DeviceDef partial) {
        org.junit.jupiter.api.Assertions.assertSame(expected, DomainXml.findDevice(d, partial));
    }

    @Test
    void addressesRoundTrip() {
        DeviceDef dev = DomainXml.parseDevice("<interface type='user'><address type='pci' bus='1' slot='0x1f'/>"
            + "</interface>");
        assertEquals(AddressDef.pci(0, 1, 31, 0), dev.getAddress());
        assertTrue(DomainXml.formatDevice(dev).contains(
            "<address type='pci' domain='0x0000' bus='0x01' slot='0x1f' function='0x0'/>"));
    }

    @Test
    void neverOtherExceptions() {
        String[] inputs = {"", "<", "<domain/>", "<domain type='kvm'/>", "<domain type='kvm'><name>x</name></domain>",
            "<domain type='kvm'><name>x</name><memory>99999999999999999999</memory><os><type>hvm</type></os></domain>",
            "<domain type='kvm'><name>x</name><memory unit='EiB'>99999</memory><os><type>hvm</type></os></domain>",
            "<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices>"
                + "<controller type='usb' index='-4'/></devices></domain>",
            "<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices>"
                + "<video><model type='vga' vram='x'/></video></devices></domain>",
            "<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices>"
                + "<serial type='pty'><target port='q'/></serial></devices></domain>",
            "<domain type='kvm'><name>x</name><uuid>zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz</uuid></domain>"};
        for (String in : inputs) {
            assertThrows(VirtException.class, () -> DomainXml.parse(in), in);
        }
    }

    @Test
    void fastEnough() {
        String xml = XmlGoldenTest.read(XmlGoldenTest.ROOT.resolve("domain/in/test-driver-default.xml"));
        DomainDef def = null;
        for (int i = 0; i < 20000; i++) {
            def = DomainXml.parse(xml);
            DomainXml.format(def, DomainXml.Format.DEFAULT);
        }
        int n = 20000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            def = DomainXml.parse(xml);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            DomainXml.format(def, DomainXml.Format.DEFAULT);
        }
        long t2 = System.nanoTime();
        System.out.printf("domain parse %.2f us, format %.2f us%n", (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n);
        // a generous bound: this is a smoke test, the benchmark lives in bench/
        assertTrue((t1 - t0) / n < 500_000, "parse is pathologically slow");
    }
}
