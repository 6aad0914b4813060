package org.jvirt.remote.internal.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jvirt.remote.internal.transport.Listener;
import org.jvirt.remote.internal.transport.SelectorLoop;
import org.jvirt.remote.internal.transport.Tls;
import org.jvirt.spi.ProcedureFrontEnd;

/**
 * jvirtd's RPC server: listeners (unix read-write and read-only, tcp) whose clients speak libvirt's
 * protocol to the front end. Enforces {@code max_clients}, {@code max_workers} and
 * {@code max_client_requests}.
 */
public final class RpcServer implements AutoCloseable {
    private final ProcedureFrontEnd frontEnd;
    private final ServerSettings settings;
    private final Consumer<String> log;
    private final List<Listener> listeners = new ArrayList<>();
    private final Set<ClientSession> clients = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;
    private final java.util.concurrent.ScheduledExecutorService keepalive;
    /** Serves the plain (unix, tcp) clients; tls clients have a thread each. */
    private SelectorLoop loop;
    private volatile boolean closed;

    public RpcServer(ProcedureFrontEnd frontEnd, ServerSettings settings, Consumer<String> log) {
        this.frontEnd = frontEnd;
        this.settings = settings;
        this.log = log;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(settings.maxWorkers(), settings.maxWorkers(), 60,
                TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "jvirtd-worker");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.workers = pool;
        this.keepalive = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jvirtd-keepalive");
            t.setDaemon(true);
            return t;
        });
    }

    ProcedureFrontEnd frontEnd() {
        return frontEnd;
    }

    void log(String message) {
        log.accept(message);
    }

    /** Opens the listeners the settings ask for and starts accepting. */
    public void start() throws IOException {
        try {
            Path dir = settings.unixSockDir();
            if (dir != null) {
                add(Listener.unix(dir.resolve(settings.socketName()), false, settings.unixSockRwPerms(),
                        settings.unixSockGroup()));
                add(Listener.unix(dir.resolve(settings.socketName() + "-ro"), true, settings.unixSockRoPerms(),
                        settings.unixSockGroup()));
            }
            if (settings.listenTcp()) {
                add(Listener.tcp(settings.listenAddr(), settings.tcpPort()));
            }
            if (settings.listenTls()) {
                add(Listener.tls(settings.listenAddr(), settings.tlsPort(), new Tls.Server(settings.tls())));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        loop = new SelectorLoop("jvirtd-loop", STALL_MILLIS, settings.maxWorkers() + 1, this::log);
        loop.start();
        for (Listener l : listeners) {
            l.start(this::accept);
            log("listening on " + l);
        }
        if (settings.keepaliveInterval() > 0) {
            keepalive.scheduleWithFixedDelay(() -> {
                for (ClientSession s : clients) {
                    s.keepaliveTick(settings.keepaliveInterval(), settings.keepaliveCount());
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** How long one call may hold the loop before another thread serves the other clients. */
    static final long STALL_MILLIS = 100;

    private void add(Listener l) {
        listeners.add(l);
    }

    /** The listeners, e.g. to learn an ephemeral tcp port. */
    public List<Listener> listeners() {
        return List.copyOf(listeners);
    }

    private void accept(Listener.Accepted a) {
        if (closed || clients.size() >= settings.maxClients()) {
            log("refusing a client from " + a.peer() + ": " + (closed ? "shutting down" : "max_clients reached"));
            a.close();
            return;
        }
        ClientSession s = new ClientSession(this, a, workers, settings.maxClientRequests());
        clients.add(s);
        if (a.plainChannel() != null && loop != null) {
            try {
                s.startOn(loop);
            } catch (IOException e) {
                log("refusing " + s + ": " + e.getMessage());
                s.close();
            }
        } else {
            s.start();
        }
    }

    void closed(ClientSession s) {
        clients.remove(s);
    }

    public int clientCount() {
        return clients.size();
    }

    @Override
    public void close() {
        closed = true;
        for (Listener l : listeners) {
            l.close();
        }
        for (ClientSession s : List.copyOf(clients)) {
            s.close();
        }
        workers.shutdownNow();
        keepalive.shutdownNow();
        if (loop != null) {
            loop.close();
        }
    }
}
