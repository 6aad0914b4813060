package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.Stream;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.jvirt.spi.StreamPeer;

/**
 * virDomainOpenConsole on a real guest (the host's kernel, a busybox shell on ttyS0, TCG): the boot marker
 * comes through the stream, a typed command's output comes back, one session at a time unless FORCE takes
 * over, and the stream ends when the guest is destroyed; through the SPI and through the public API.
 */
class QemuConsoleTest {
    @TempDir
    Path root;
    QemuDriver driver;
    DriverConnection conn;

    @BeforeEach
    void open() {
        QemuTestSupport.requireQemu();
        driver = new QemuDriver();
        conn = driver.open(VirtUri.parse("qemu:///embed?root=" + root), new OpenContext(false, null, null))
                .orElseThrow();
    }

    @AfterEach
    void cleanup() {
        try {
            for (DomainRef d : conn.connectListAllDomains(0)) {
                if (conn.domainIsActive(d)) {
                    conn.domainDestroyFlags(d, 0);
                }
            }
        } finally {
            conn.connectClose();
            driver.deactivate();
            assertEquals(0, QemuTestSupport.killStray(root), "QEMU processes were left behind");
        }
    }

    /** The user's end of a stream, as a test sees it: what came, whether it ended, its error. */
    static final class Peer implements StreamPeer {
        private final StringBuilder text = new StringBuilder();
        private volatile Handler handler;
        volatile boolean ended;
        volatile VirtError error;

        @Override
        public void send(byte[] data, int offset, int length) {
            synchronized (text) {
                text.append(new String(data, offset, length, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void sendEnd() {
            ended = true;
        }

        @Override
        public void sendError(VirtError why) {
            error = why;
        }

        @Override
        public void bind(Handler h) {
            handler = h;
        }

        void type(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            handler.received(b, 0, b.length);
        }

        String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        void await(String what, long millis) throws InterruptedException {
            QemuTestSupport.waitFor(() -> text().contains(what), millis, "'" + what + "' on the console; got: "
                    + text());
        }
    }

    @Test
    void spiConsoleShowsTheBootAnswersIsForcedAwayAndEndsOnDestroy() throws Exception {
        Path initrd = QemuTestSupport.buildInitramfs(root, QemuTestSupport.SHELL_INIT);
        DomainRef d = conn.domainCreateXML(QemuTestSupport.consoleGuestXml("con1", initrd), 0);
        Peer first = new Peer();
        long t0 = System.nanoTime();
        conn.domainOpenConsole(d, null, first, 0); // right after start: the whole boot comes through
        first.await(QemuTestSupport.CONSOLE_MARKER, 60_000);
        System.out.println("[qemu-timing] console guest boot to marker " + (System.nanoTime() - t0) / 1_000_000
                + " ms");
        first.type("echo hi-$((6*7))\n");
        first.await("hi-42", 15_000);

        // one session at a time
        VirtException busy = assertThrows(VirtException.class, () -> conn.domainOpenConsole(d, null, new Peer(), 0));
        assertEquals(ErrorCode.OPERATION_FAILED, busy.error().code());
        assertEquals("operation failed: Active console session exists for this domain", busy.getMessage());
        assertNull(first.error, "a refused open leaves the session alone");

        // FORCE takes over: the first stream fails, the second works (named by the serial's alias)
        Peer second = new Peer();
        conn.domainOpenConsole(d, "serial0", second, QemuConsoles.FORCE);
        assertTrue(first.error != null && first.error.message().contains("taken over"), String.valueOf(first.error));
        second.type("echo again-$((2+3))\n");
        second.await("again-5", 15_000);
        assertTrue(!first.text().contains("again-5"), "the first session let go: " + first.text());

        // destroy: QEMU hangs up the pty, the stream ends
        conn.domainDestroyFlags(d, 0);
        QemuTestSupport.waitFor(() -> second.ended, 10_000, "the end of the stream after destroy");
        assertNull(second.error);
    }

    @Test
    void publicApiConsoleAnswersAndFinishingLeavesTheGuestRunning() throws Exception {
        Path initrd = QemuTestSupport.buildInitramfs(root, QemuTestSupport.SHELL_INIT);
        try (Connect c = FrontEndImpl.of(driver).open("qemu:///embed?root=" + root, null, Set.of())) {
            Domain dom = c.createXML(QemuTestSupport.consoleGuestXml("con2", initrd));
            Stream s = dom.openConsole(null, 0);
            StringBuilder seen = new StringBuilder();
            Thread reader = new Thread(() -> copy(s.input(), seen), "console-reader");
            reader.setDaemon(true);
            reader.start();
            QemuTestSupport.waitFor(() -> text(seen).contains(QemuTestSupport.CONSOLE_MARKER), 60_000,
                    "the boot marker; got: " + text(seen));
            s.output().write("echo hi-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
            QemuTestSupport.waitFor(() -> text(seen).contains("hi-42"), 15_000, "hi-42; got: " + text(seen));
            s.finish();
            assertTrue(dom.isActive(), "the guest runs on after its console closed");

            // the finished session let go: a new one opens without FORCE, and the shell still answers
            Stream again = dom.openConsole(null, 0);
            StringBuilder seen2 = new StringBuilder();
            Thread reader2 = new Thread(() -> copy(again.input(), seen2), "console-reader-2");
            reader2.setDaemon(true);
            reader2.start();
            again.output().write("echo back-$((40+2))\n".getBytes(StandardCharsets.UTF_8));
            QemuTestSupport.waitFor(() -> text(seen2).contains("back-42"), 15_000, "back-42; got: " + text(seen2));
            dom.destroy();
            reader2.join(10_000);
            assertTrue(!reader2.isAlive(), "end of stream after destroy");
            again.close();
        }
    }

    @Test
    void refusalsWithLibvirtsWords() throws Exception {
        DomainRef off = conn.domainDefineXMLFlags(QemuTestSupport.noDiskXml("off", ""), 0);
        VirtException e = assertThrows(VirtException.class, () -> conn.domainOpenConsole(off, null, new Peer(), 0));
        assertEquals("Requested operation is not valid: domain is not running", e.getMessage());

        DomainRef none = conn.domainCreateXML(QemuTestSupport.noDiskXml("none", ""), 0);
        e = assertThrows(VirtException.class, () -> conn.domainOpenConsole(none, null, new Peer(), 0));
        assertEquals("internal error: cannot find character device <null>", e.getMessage());
        e = assertThrows(VirtException.class, () -> conn.domainOpenConsole(none, null, new Peer(), 4));
        assertEquals("unsupported flags (0x4) in function qemuDomainOpenConsole", e.getMessage());

        String fileSerial = QemuTestSupport.noDiskXml("filed", "").replace("</emulator>", "</emulator><serial "
                + "type='file'><source path='" + root.resolve("serial.log") + "'/><target port='0'/></serial>");
        DomainRef filed = conn.domainCreateXML(fileSerial, 0);
        e = assertThrows(VirtException.class, () -> conn.domainOpenConsole(filed, null, new Peer(), 0));
        assertEquals("internal error: character device serial0 is not using a PTY", e.getMessage());
        e = assertThrows(VirtException.class, () -> conn.domainOpenConsole(filed, "nosuch", new Peer(), 0));
        assertEquals("internal error: cannot find character device nosuch", e.getMessage());
    }

    private static void copy(InputStream in, StringBuilder into) {
        byte[] b = new byte[4096];
        try {
            for (int n; (n = in.read(b)) >= 0;) {
                synchronized (into) {
                    into.append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            synchronized (into) {
                into.append("[error: ").append(e.getMessage()).append(']');
            }
        }
    }

    private static String text(StringBuilder b) {
        synchronized (b) {
            return b.toString();
        }
    }
}
