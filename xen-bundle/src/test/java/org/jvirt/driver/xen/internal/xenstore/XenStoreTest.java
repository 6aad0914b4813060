package org.jvirt.driver.xen.internal.xenstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.driver.xen.internal.FakeXen;

/** The xenstore client against the real C xenstored (xen-utils-4.17), and against its C tools. */
class XenStoreTest {
    @TempDir
    static Path dir;
    static FakeXen xen;
    static XenStore xs;

    @BeforeAll
    static void start() throws Exception {
        xen = FakeXen.start(dir);
        xs = XenStore.open(xen.socket());
    }

    @AfterAll
    static void stop() {
        if (xs != null) {
            xs.close();
        }
        if (xen != null) {
            xen.close();
        }
    }

    @Test
    void writeReadDirectoryRemove() {
        xs.write("/t1/a", "1");
        xs.write("/t1/b", "two words");
        xs.write("/t1/c/d", "");
        assertEquals("1", xs.read("/t1/a"));
        assertEquals("two words", xs.read("/t1/b"));
        assertEquals("", xs.read("/t1/c/d"));
        assertEquals(List.of("a", "b", "c"), xs.directory("/t1").stream().sorted().toList());
        xs.rm("/t1/c");
        assertEquals(List.of("a", "b"), xs.directory("/t1").stream().sorted().toList());
        xs.mkdir("/t1/empty");
        assertEquals("", xs.read("/t1/empty"));
        assertEquals(List.of(), xs.directory("/t1/empty"));
    }

    @Test
    void errorsAreXensOwn() {
        XenStoreException e = assertThrows(XenStoreException.class, () -> xs.read("/no/such/path"));
        assertEquals("ENOENT", e.errno());
        assertEquals(ErrorDomain.XENSTORE, e.error().domain());
        assertTrue(e.error().message().endsWith("xenstore read /no/such/path failed: ENOENT (no such path)"), e.error().message());
        assertNull(xs.readOrNull("/no/such/path"));
        XenStoreException bad = assertThrows(XenStoreException.class, () -> xs.write("relative//bad", "x"));
        assertEquals("EINVAL", bad.errno());
        assertEquals(ErrorCode.INVALID_ARG, bad.error().code());
    }

    @Test
    void permissions() {
        xs.write("/t2/p", "x");
        xs.setPerms("/t2/p", List.of(new XenStore.Perm(0, 'n'), new XenStore.Perm(3, 'r'), new XenStore.Perm(5, 'b')));
        assertEquals(List.of(new XenStore.Perm(0, 'n'), new XenStore.Perm(3, 'r'), new XenStore.Perm(5, 'b')),
                xs.getPerms("/t2/p"));
    }

    @Test
    void domainPath() {
        assertEquals("/local/domain/7", xs.getDomainPath(7));
    }

    @Test
    void watchesFireOnceAtOnceThenOnEveryChange() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        xs.watch("/t3", "tok", (path, token) -> events.add(token + " " + path));
        assertEquals("tok /t3", events.poll(10, TimeUnit.SECONDS));
        xs.write("/t3/x", "1");
        assertEquals("tok /t3/x", events.poll(10, TimeUnit.SECONDS));
        xs.rm("/t3/x");
        assertEquals("tok /t3/x", events.poll(10, TimeUnit.SECONDS));
        xs.unwatch("/t3", "tok");
        xs.write("/t3/y", "1");
        assertNull(events.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void aWatchCallbackMayCallTheStore() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        xs.watch("/t4/v", "cb", (path, token) -> seen.add(String.valueOf(xs.readOrNull("/t4/v"))));
        assertEquals("null", seen.poll(10, TimeUnit.SECONDS));
        xs.write("/t4/v", "set");
        assertEquals("set", seen.poll(10, TimeUnit.SECONDS));
        xs.unwatch("/t4/v", "cb");
    }

    @Test
    void transactionsCommitAndAbort() {
        xs.write("/t5/n", "0");
        String r = xs.transaction(tx -> {
            tx.write("/t5/n", "1");
            tx.write("/t5/m", "2");
            return tx.read("/t5/n");
        });
        assertEquals("1", r);
        assertEquals("2", xs.read("/t5/m"));
        assertThrows(IllegalStateException.class, () -> xs.transaction(tx -> {
            tx.write("/t5/n", "lost");
            throw new IllegalStateException("abort");
        }));
        assertEquals("1", xs.read("/t5/n"));
    }

    @Test
    void aConflictingTransactionIsRetriedOnEagain() {
        xs.write("/t6/counter", "0");
        AtomicInteger attempts = new AtomicInteger();
        try (XenStore other = XenStore.open(xen.socket())) {
            xs.transaction(tx -> {
                int v = Integer.parseInt(tx.read("/t6/counter"));
                if (attempts.incrementAndGet() == 1) {
                    other.write("/t6/counter", "10"); // another writer changes what this transaction read
                }
                tx.write("/t6/counter", Integer.toString(v + 1));
                return null;
            });
        }
        assertEquals(2, attempts.get());
        assertEquals("11", xs.read("/t6/counter"));
    }

    @Test
    void theCToolsSeeWhatJavaWroteAndViceVersa() throws Exception {
        Map<String, String> env = Map.of("XENSTORED_PATH", xen.socket().toString());
        xs.write("/t7/fromjava", "hello");
        assertEquals("hello\n", FakeXen.run(List.of("xenstore-read", "/t7/fromjava"), env));
        FakeXen.run(List.of("xenstore-write", "/t7/fromc", "world"), env);
        assertEquals("world", xs.read("/t7/fromc"));
    }

    @Test
    void manyPipelinedCallsFromThreads() throws Exception {
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            int n = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    xs.write("/t8/" + n + "/" + i, n + ":" + i);
                    assertEquals(n + ":" + i, xs.read("/t8/" + n + "/" + i));
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(200, xs.directory("/t8/3").size());
        assertTrue(xs.directory("/t8").containsAll(List.of("0", "1", "2", "3")));
    }
}
