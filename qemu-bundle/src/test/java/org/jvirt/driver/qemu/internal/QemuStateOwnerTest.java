package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.OpenContext;

/** One owner per QEMU root: only jvirtd takes system and session, and a root's state is locked by its owner. */
class QemuStateOwnerTest {

    @Test
    void systemAndSessionAreTheDaemonsEmbedIsAnyones(@TempDir Path dir) {
        QemuDriver driver = new QemuDriver();
        driver.configure(Map.of("system.prefix", dir.toString(), "daemon", "false"));
        try {
            OpenContext ctx = new OpenContext(false, null, EventSink.NONE);
            assertEquals(Optional.empty(), driver.open(VirtUri.parse("qemu:///system"), ctx));
            assertEquals(Optional.empty(), driver.open(VirtUri.parse("qemu:///session"), ctx));
            Optional<DriverConnection> embed = driver.open(VirtUri.parse("qemu:///embed?root=" + dir.resolve("e")), ctx);
            assertTrue(embed.isPresent());
            embed.get().connectClose();
        } finally {
            driver.deactivate();
        }
    }

    /**
     * A definition written by a process killed between its temp file and the rename: the owner that takes
     * the root next removes the temp file, and the definitions before it are intact.
     */
    @Test
    void theNextOwnerRemovesTheTempFilesOfAKilledWriter(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("root");
        QemuDriver driver = new QemuDriver();
        Path configDir;
        try {
            DriverConnection c = driver.open(VirtUri.parse("qemu:///embed?root=" + root),
                    new OpenContext(false, null, EventSink.NONE)).orElseThrow();
            c.domainDefineXMLFlags("<domain type='qemu'><name>g1</name><memory>65536</memory>"
                    + "<os><type arch='x86_64'>hvm</type></os></domain>", 0);
            c.connectClose();
        } finally {
            driver.deactivate();
        }
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(root)) {
            configDir = s.filter(p -> p.getFileName().toString().equals("g1.xml")).findFirst().orElseThrow().getParent();
        }
        Path leftover = configDir.resolve(".g2.xml.jvirt-tmp-99999-1");
        java.nio.file.Files.writeString(leftover, "<domain type='qemu'><na");
        driver = new QemuDriver();
        try {
            DriverConnection c = driver.open(VirtUri.parse("qemu:///embed?root=" + root),
                    new OpenContext(false, null, EventSink.NONE)).orElseThrow();
            assertEquals(List.of("g1"), c.connectListDefinedDomains(10));
            c.connectClose();
        } finally {
            driver.deactivate();
        }
        assertFalse(java.nio.file.Files.exists(leftover), "the killed writer's temp file is gone");
    }

    /** A second process on the same root is refused at once, naming the holder's pid. */
    @Test
    void aSecondOwnerIsRefusedWithTheHoldersPid(@TempDir Path dir) throws Exception {
        String root = dir.resolve("root").toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process holder = new ProcessBuilder(java, "-cp", cp, HoldQemuRoot.class.getName(), root)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("held", out.readLine());
            QemuDriver driver = new QemuDriver();
            try {
                VirtException e = assertThrows(VirtException.class, () -> driver.open(
                        VirtUri.parse("qemu:///embed?root=" + root), new OpenContext(false, null, EventSink.NONE)));
                assertEquals(ErrorCode.OPERATION_FAILED, e.code());
                assertTrue(e.getMessage().contains("owned by another process (pid " + holder.pid() + ")"),
                        e.getMessage());
            } finally {
                driver.deactivate();
            }
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        // once the holder is gone, the root can be taken
        QemuDriver driver = new QemuDriver();
        try {
            driver.open(VirtUri.parse("qemu:///embed?root=" + root), new OpenContext(false, null, EventSink.NONE))
                    .orElseThrow().connectClose();
        } finally {
            driver.deactivate();
        }
    }

    /** Holds a QEMU root until its standard input closes. */
    public static final class HoldQemuRoot {
        public static void main(String[] args) throws Exception {
            QemuDriver driver = new QemuDriver();
            DriverConnection c = driver.open(VirtUri.parse("qemu:///embed?root=" + args[0]),
                    new OpenContext(false, null, EventSink.NONE)).orElseThrow();
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to let go
            }
            c.connectClose();
            driver.deactivate();
        }
    }
}
