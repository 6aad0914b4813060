package org.jvirt.driver.qemu.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/** A stuck QEMU never parks a caller: connect, greeting and every command have a bound. */
class QemuMonitorTimeoutTest {
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"\"}, \"capabilities\": [\"oob\"]}}";
    static final String CAPS = "{\"return\": {}, \"id\": \"j1\"}";
    static final long SHORT_MS = 300;

    @TempDir
    Path tmp;

    private static long deadline(long ms) {
        return System.nanoTime() + ms * 1_000_000;
    }

    private static void assertTimeout(VirtException e, String detail) {
        assertEquals(ErrorCode.OPERATION_TIMEOUT, e.code(), e.getMessage());
        assertEquals(ErrorDomain.QEMU, e.domain());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    @Test
    void theDefaultTimeoutIsGenerous() {
        assertEquals(30_000, QemuMonitor.DEFAULT_TIMEOUT_MS);
        assertEquals("30 s", QemuMonitor.duration(QemuMonitor.DEFAULT_TIMEOUT_MS));
        assertEquals("300 ms", QemuMonitor.duration(SHORT_MS));
    }

    @Test
    void aCommandWithoutAnswerTimesOut() throws IOException {
        try (FakeQmpPeer peer = FakeQmpPeer.start(tmp, GREETING, List.of(CAPS));
                QemuMonitor m = QemuMonitor.open(peer.socket(), "stuck", deadline(5000), SHORT_MS, () -> true,
                        null)) {
            long t0 = System.nanoTime();
            VirtException e = assertThrows(VirtException.class, m::queryStatus);
            assertTimeout(e, "QEMU monitor of domain 'stuck' did not answer 'query-status' within 300 ms");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            // a command with its own, longer bound says so
            e = assertThrows(VirtException.class, () -> m.execute(QmpRequest.queryMigrate(), 1000));
            assertTimeout(e, "did not answer 'query-migrate' within 1 s");
        }
    }

    @Test
    void aMissingGreetingTimesOut() throws IOException {
        try (FakeQmpPeer peer = FakeQmpPeer.start(tmp, null, List.of())) {
            long t0 = System.nanoTime();
            VirtException e = assertThrows(VirtException.class,
                    () -> QemuMonitor.open(peer.socket(), "mute", deadline(5000), SHORT_MS, () -> true, null));
            assertTimeout(e, "QEMU monitor of domain 'mute' sent no greeting within 300 ms");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        }
    }

    @Test
    void anUnansweredNegotiationTimesOut() throws IOException {
        try (FakeQmpPeer peer = FakeQmpPeer.start(tmp, GREETING, List.of())) {
            VirtException e = assertThrows(VirtException.class,
                    () -> QemuMonitor.open(peer.socket(), "slow", deadline(5000), SHORT_MS, () -> true, null));
            assertTimeout(e, "QEMU monitor of domain 'slow' did not answer 'qmp_capabilities' within 300 ms");
        }
    }

    @Test
    void connectGivesUpAtTheDeadline() {
        Path sock = tmp.resolve("absent.sock");
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class,
                () -> QemuMonitor.open(sock, "none", deadline(SHORT_MS), () -> true, null));
        assertTrue(e.getMessage().startsWith("timed out connecting to monitor"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        e = assertThrows(IOException.class,
                () -> QemuMonitor.open(sock, "none", deadline(5000), () -> false, null));
        assertEquals("QEMU exited before its monitor was ready", e.getMessage());
    }

    /** A QEMU that never accepts: once its backlog is full a blocking connect would wait for ever. */
    @Test
    void aFullBacklogDoesNotBlockTheConnect() throws IOException {
        Path sock = tmp.resolve("full.sock");
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock), 1);
            int refused = 0;
            for (int i = 0; i < 8; i++) {
                SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.configureBlocking(false);
                try {
                    c.connect(UnixDomainSocketAddress.of(sock));
                    queued.add(c);
                } catch (IOException full) {
                    c.close();
                    refused++;
                }
            }
            assertTrue(refused > 0, "the backlog never filled");
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class,
                    () -> QemuMonitor.open(sock, "busy", deadline(SHORT_MS), SHORT_MS, () -> true, null));
            assertTrue(e.getMessage().startsWith("timed out connecting to monitor"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        } finally {
            for (SocketChannel c : queued) {
                c.close();
            }
            Files.deleteIfExists(sock);
        }
    }
}
