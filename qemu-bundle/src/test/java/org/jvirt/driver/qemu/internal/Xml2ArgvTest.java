package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.driver.qemu.internal.caps.QemuCaps;
import org.jvirt.driver.qemu.internal.caps.QemuCapsCache;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * Golden files in the manner of libvirt's qemuxml2argvtest: {@code xml2argv/NAME.xml} gives the argv in
 * {@code NAME.args} (one argument per line), against a fixed QEMU 7.2 capability set so that the result
 * does not depend on the installed QEMU. {@code xml2argv-bad/NAME.xml} must fail with the code (and, when
 * given, libvirt's message: {@code <!-- ERROR: CODE: message -->}) named on
 * its first line. {@code -Djvirt.regenerate=true} rewrites the expected files; review the diff.
 */
class Xml2ArgvTest {
    static final Path GOOD = Path.of("src/test/resources/xml2argv");
    static final Path BAD = Path.of("src/test/resources/xml2argv-bad");
    static final boolean REGENERATE = Boolean.getBoolean("jvirt.regenerate");
    /** {@code <!-- ERROR: CODE -->}, or {@code <!-- ERROR: CODE: libvirt's message -->}. */
    private static final Pattern ERROR = Pattern.compile("<!--\\s*ERROR:\\s*([A-Z_]+)\\s*(?::\\s*(.*?)\\s*)?-->");
    static final String EMU = "/usr/bin/qemu-system-x86_64";

    /** A QEMU 7.2 x86_64 as Debian ships it, reduced to what the tests touch. */
    static QemuCaps fixedCaps() {
        return new QemuCaps(EMU, "x86_64", 7_002_000,
                List.of(new QemuCaps.Machine("pc-i440fx-7.2", "pc", true, 255, false),
                        new QemuCaps.Machine("pc-q35-7.2", "q35", false, 288, false),
                        new QemuCaps.Machine("pc-i440fx-2.0", null, false, 255, true)),
                Set.of("tcg", "kvm"),
                Set.of("virtio-blk-pci", "virtio-net-pci", "e1000", "rtl8139", "ide-hd", "ide-cd", "scsi-hd",
                        "scsi-cd", "virtio-scsi-pci", "ahci", "piix3-usb-uhci", "qemu-xhci", "usb-tablet",
                        "virtio-keyboard-pci", "VGA", "cirrus-vga", "virtio-vga", "virtio-balloon-pci", "isa-serial",
                        "floppy"));
    }

    static QemuXmlHooks hooks(String kvmDevice) {
        QemuConfig cfg = new QemuConfig("qemu:///embed?root=/r", Path.of("/r/etc"), Path.of("/r/lib"),
                Path.of("/run/jvirt/qemu"), Path.of("/r/log"), Path.of("/r/cache"), Map.of("kvm_device", kvmDevice));
        return new QemuXmlHooks(new QemuCapsCache(null).fix(fixedCaps()), cfg);
    }

    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> argv(String xml) {
        DomainDef def = DomainXml.parse(xml, hooks("/dev/null"));
        return QemuDefinitions.nativeArgv(def, Path.of("/run/jvirt/qemu"));
    }

    @TestFactory
    Stream<DynamicTest> xml2argv() {
        return files(GOOD).stream().map(in -> DynamicTest.dynamicTest(in.getFileName().toString(), () -> {
            String actual = String.join("\n", argv(Files.readString(in))) + "\n";
            Path out = GOOD.resolve(in.getFileName().toString().replace(".xml", ".args"));
            if (REGENERATE || !Files.exists(out)) {
                Files.writeString(out, actual, StandardCharsets.UTF_8);
            }
            assertEquals(Files.readString(out), actual, "argv of " + in.getFileName());
        }));
    }

    @TestFactory
    Stream<DynamicTest> badXml() {
        return files(BAD).stream().map(in -> DynamicTest.dynamicTest(in.getFileName().toString(), () -> {
            String xml = Files.readString(in);
            Matcher m = ERROR.matcher(xml);
            assertTrue(m.find(), in + " names no expected error");
            VirtException e = assertThrows(VirtException.class,
                    () -> QemuDefinitions.nativeArgv(DomainXml.parse(xml, hooks("/nonexistent/kvm")),
                            Path.of("/run/jvirt/qemu")));
            assertEquals(ErrorCode.valueOf(m.group(1)), e.code(), e.getMessage());
            if (m.group(2) != null) {
                assertEquals(m.group(2), e.getMessage());
            }
        }));
    }

    /** What qemu_validate.c allows next to what xml2argv-bad refuses: the QEMU validate hook lets these through. */
    @Test
    void qemuValidateRulesAcceptTheirAllowedCases() {
        String xml = "<domain type='kvm'><name>ok</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1802</uuid>"
                + "<memory unit='MiB'>128</memory><vcpu>1</vcpu><cputune><cachetune vcpus='0'>"
                + "<cache id='0' level='3' type='both' size='3' unit='MiB'/></cachetune></cputune>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><bios useserial='yes'/></os>"
                + "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>preserve</on_crash>"
                + "<devices><emulator>" + EMU + "</emulator><serial type='pty'/></devices></domain>";
        DomainXml.parse(xml, hooks("/dev/null")); // a KVM device it can open
    }

    @Test
    void postParseFillsMachineArchAndAddresses() {
        String xml = "<domain type='qemu'><name>p</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1801</uuid>"
                + "<memory>1000</memory><os><type>hvm</type></os><devices><emulator>" + EMU + "</emulator>"
                + "<interface type='user'/></devices></domain>";
        DomainDef def = DomainXml.parse(xml, hooks("/dev/null"));
        assertEquals("pc-i440fx-7.2", def.getOs().getMachine());
        assertEquals("x86_64", def.getOs().getArch());
        assertEquals(1024, def.getMemoryKiB());
        assertTrue(def.getInterfaces().get(0).getMac().startsWith("52:54:00:"));
        assertEquals("0x03", def.getInterfaces().get(0).getAddress().get("slot"));
        assertEquals("virtio", def.getMemballoon().getModel());
        // format then parse again gives the same definition (post-parse is idempotent)
        String once = DomainXml.format(def, DomainXml.Format.INACTIVE);
        assertEquals(once, DomainXml.format(DomainXml.parse(once, hooks("/dev/null")), DomainXml.Format.INACTIVE));
    }
}
