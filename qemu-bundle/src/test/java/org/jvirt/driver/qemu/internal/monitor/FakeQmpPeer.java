package org.jvirt.driver.qemu.internal.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * QEMU's side of a QMP socket, played from a script: it sends a greeting (or, with none, stays silent),
 * then answers the n-th request it reads with the n-th scripted reply, written verbatim (recorded replies
 * carry QEMU's events too). Requests beyond the script are recorded and left unanswered, as a stuck QEMU
 * would.
 */
final class FakeQmpPeer implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread thread;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile SocketChannel peer;

    private FakeQmpPeer(Path socket, String greeting, List<String> replies) throws IOException {
        this.socket = socket;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.thread = new Thread(() -> serve(greeting, replies), "fake-qmp");
        thread.setDaemon(true);
        thread.start();
    }

    /** Listens on {@code dir/monitor.sock}; {@code greeting} null means QEMU never greets. */
    static FakeQmpPeer start(Path dir, String greeting, List<String> replies) throws IOException {
        return new FakeQmpPeer(dir.resolve("monitor.sock"), greeting, List.copyOf(replies));
    }

    Path socket() {
        return socket;
    }

    /** The request lines read so far, without their newlines. */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Whatever went against the script (a reply whose id is not the request's). */
    List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    private void serve(String greeting, List<String> replies) {
        try (SocketChannel ch = server.accept()) {
            peer = ch;
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(ch);
            if (greeting != null) {
                write(out, greeting);
            }
            int next = 0;
            String line;
            while ((line = in.readLine()) != null) {
                if (greeting == null) {
                    continue;
                }
                requests.add(line);
                if (next < replies.size()) {
                    String reply = replies.get(next++);
                    checkId(line, reply);
                    write(out, reply);
                }
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    private void checkId(String request, String reply) {
        String id = QmpJson.str(QmpJson.parse(request), "id");
        for (String l : reply.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            var m = QmpJson.parse(l);
            if (!m.has("event") && !String.valueOf(id).equals(QmpJson.str(m, "id"))) {
                problems.add("the request has id " + id + " but the scripted reply has " + QmpJson.str(m, "id")
                        + ": " + l);
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write((text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        SocketChannel p = peer;
        if (p != null) {
            p.close();
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
