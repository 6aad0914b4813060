package org.jvirt.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * jvirtd: boots Apache Felix with every bundle in {@code bundle/} (SCR, ConfigAdmin, EventAdmin,
 * FileInstall and jvirt's bundles), plus Gogo from {@code bundle/console/} with {@code --console}.
 * FileInstall reads {@code etc/*.cfg} into ConfigAdmin and hot-deploys {@code deploy/}.
 *
 * <p>It prints {@code jvirtd: ready in N ms: drivers a,b} once every bundle has started and every jar
 * in {@code deploy/} is active, and stops the framework cleanly on SIGTERM or SIGINT.
 */
public final class Jvirtd {

    private static final String DRIVER = "org.jvirt.spi.Driver";
    private static final Pattern VAR = Pattern.compile("\\$\\{([^}]+)}");

    private final Path home;
    private final boolean console;
    private final PrintStream log;
    private volatile Framework framework;
    private final java.util.concurrent.atomic.AtomicBoolean stopLogged = new java.util.concurrent.atomic.AtomicBoolean();
    private final boolean trace = System.getenv("JVIRTD_TRACE") != null;
    private long traceT0;

    private void trace(String what) {
        if (trace) {
            log.println("jvirtd: +" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - traceT0) + " ms " + what);
        }
    }

    private Jvirtd(Path home, boolean console, PrintStream log) {
        this.home = home;
        this.console = console;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        long t0 = startNanos();
        boolean console = false;
        String pidFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--console" -> console = true;
                case "-l", "--listen" -> System.setProperty("jvirt.daemon.listen", "true");
                case "-v", "--verbose" -> System.setProperty("jvirt.daemon.verbose", "true");
                case "-f", "--config" -> System.setProperty("jvirt.daemon.config", value(args, ++i, a));
                case "-p", "--pid-file" -> pidFile = value(args, ++i, a);
                case "-t", "--timeout" -> System.setProperty("jvirt.daemon.timeout", value(args, ++i, a));
                case "-h", "--help" -> {
                    System.out.println("usage: jvirtd [--console] [-l|--listen] [-f|--config FILE] [-p|--pid-file FILE]\n"
                            + "              [-t|--timeout SECS] [-v|--verbose]\n"
                            + "  --console  also start the Gogo shell (commands: jvirt:list, jvirt:drivers, ...)\n"
                            + "  --listen   listen for tcp connections (listen_tcp in the config file)\n"
                            + "  --config   a libvirtd.conf-style configuration file\n"
                            + "  --pid-file write and lock this pid file (a second jvirtd on it is refused)\n"
                            + "  --timeout  exit after this many seconds without clients\n"
                            + "Settings: etc/config.properties (framework), etc/*.cfg (ConfigAdmin PIDs).\n"
                            + "Drop driver bundles into deploy/ to add them while jvirtd runs.");
                    return;
                }
                default -> {
                    System.err.println("jvirtd: unknown option " + a + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (pidFile != null) {
            PidFile.acquire(Path.of(pidFile));
        }
        // this process owns the node's state: stateful drivers (QEMU) serve qemu:///system and /session here
        System.setProperty("jvirt.daemon", "true");
        String h = System.getProperty("jvirt.home");
        if (h == null || h.isEmpty()) {
            System.err.println("jvirtd: the system property jvirt.home is not set (use bin/jvirtd)");
            System.exit(2);
        }
        Jvirtd d = new Jvirtd(Path.of(h).toAbsolutePath().normalize(), console, System.out);
        int rc = d.run(t0);
        System.exit(rc);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println("jvirtd: option " + option + " needs a value (try --help)");
            System.exit(2);
        }
        return args[i];
    }

    /**
     * When this process started, on System.nanoTime's scale: Linux's /proc/self/stat start time (in
     * clock ticks since boot) against /proc/uptime, both to 10 ms; else now (time from main).
     */
    private static long startNanos() {
        long now = System.nanoTime();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[19]);
            String up = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
            long uptimeMs = Math.round(Double.parseDouble(up) * 1000);
            long ageMs = uptimeMs - startTicks * 10; // USER_HZ is 100 on Linux
            if (ageMs >= 0 && ageMs < 60_000) {
                return now - TimeUnit.MILLISECONDS.toNanos(ageMs);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: measure from here
        }
        return now;
    }

    private int run(long t0) throws Exception {
        traceT0 = t0;
        trace("main");
        Map<String, String> config = frameworkConfig();
        String cacheKey = cacheKey();
        Path keyFile = home.resolve("data/cache.key");
        boolean reuse = cacheKey.equals(readKey(keyFile)) && !"onFirstInit".equals(config.get("org.osgi.framework.storage.clean"));
        if (!reuse) {
            // bundle/ changed (a rebuild, --console or not): start from an empty bundle cache
            config.put("org.osgi.framework.storage.clean", "onFirstInit");
            Files.deleteIfExists(keyFile);
        }
        trace(reuse ? "reusing the bundle cache" : "fresh bundle cache");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        framework = factory.newFramework(config);
        framework.init();
        trace("framework initialised");
        Thread hook = new Thread(this::stopFramework, "jvirtd-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        BundleContext ctx = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        installAll(ctx, home.resolve("bundle"), installed);
        if (console) {
            installAll(ctx, home.resolve("bundle/console"), installed);
        }
        trace("bundles installed");
        framework.start();
        trace("framework started");
        List<String> failed = new ArrayList<>();
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                b.start();
                trace("started " + b.getSymbolicName());
            } catch (BundleException e) {
                failed.add(b.getSymbolicName());
                log.println("jvirtd: bundle " + b.getSymbolicName() + " did not start: " + e.getMessage()
                        + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            }
        }
        awaitReady(ctx, t0, failed);
        if (!reuse && failed.isEmpty()) {
            Files.createDirectories(keyFile.getParent());
            Files.writeString(keyFile, cacheKey);
        }

        FrameworkEvent ev;
        do {
            ev = framework.waitForStop(0);
        } while (ev.getType() == FrameworkEvent.STOPPED_UPDATE);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook stopped the framework
        }
        logStopped();
        if (System.getProperty("jvirt.daemon.failed") != null) {
            return 1;
        }
        return ev.getType() == FrameworkEvent.ERROR ? 1 : 0;
    }

    /** Framework properties: etc/config.properties with ${...} from system properties, then -D overrides. */
    private Map<String, String> frameworkConfig() throws IOException {
        Properties p = new Properties();
        Path file = home.resolve("etc/config.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        Map<String, String> out = new HashMap<>();
        out.put("jvirt.home", home.toString());
        for (String k : p.stringPropertyNames()) {
            out.put(k, p.getProperty(k));
        }
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("felix.") || k.startsWith("org.osgi.") || k.startsWith("jvirt.") || k.startsWith("gosh.")
                    || k.startsWith("ds.")) {
                out.put(k, System.getProperty(k));
            }
        }
        Map<String, String> resolved = new HashMap<>();
        for (Map.Entry<String, String> e : out.entrySet()) {
            resolved.put(e.getKey(), substitute(e.getValue(), out));
        }
        // framework properties are what FileInstall and the drivers see as ${jvirt.home} etc.
        for (String k : List.of("jvirt.home", "jvirt.state.dir")) {
            if (resolved.containsKey(k) && System.getProperty(k) == null) {
                System.setProperty(k, resolved.get(k));
            }
        }
        if (!console) {
            resolved.putIfAbsent("gosh.args", "--nointeractive");
        }
        return resolved;
    }

    private static String substitute(String value, Map<String, String> vars) {
        Matcher m = VAR.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = vars.containsKey(name) ? vars.get(name) : System.getProperty(name, System.getenv(name));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : substitute(v, vars)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * What the bundle cache was built from: the jars of bundle/ (and bundle/console/ with --console),
     * with their sizes and times. The cache is reused while it stays the same; deploy/ needs no key,
     * as FileInstall reconciles the bundles it installed with the folder when it starts.
     */
    private String cacheKey() throws IOException {
        StringBuilder sb = new StringBuilder("jvirtd-cache-1\n");
        List<Path> dirs = new ArrayList<>(List.of(home.resolve("bundle")));
        if (console) {
            dirs.add(home.resolve("bundle/console"));
        }
        for (Path dir : dirs) {
            List<Path> jars = new ArrayList<>();
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
                    ds.forEach(jars::add);
                }
            }
            jars.sort(null);
            for (Path j : jars) {
                sb.append(j).append(' ').append(Files.size(j)).append(' ')
                        .append(Files.getLastModifiedTime(j).toMillis()).append('\n');
            }
        }
        return sb.toString();
    }

    private static String readKey(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }

    /** Installs the jars of a folder, by reference (Felix reads them in place, no copy). */
    private void installAll(BundleContext ctx, Path dir, List<Bundle> out) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            ds.forEach(jars::add);
        }
        jars.sort(null);
        for (Path jar : jars) {
            try {
                // installing a location that the reused cache holds returns that bundle
                out.add(ctx.installBundle("reference:" + jar.toUri()));
            } catch (BundleException e) {
                log.println("jvirtd: cannot install " + jar + ": " + e.getMessage());
            }
        }
    }

    /**
     * Waits until each jar in deploy/ is an active bundle (FileInstall installs them on its own
     * thread), then reports the drivers: SCR registers driver services as their bundles start.
     */
    private void awaitReady(BundleContext ctx, long t0, List<String> failed) throws InterruptedException {
        Path deploy = home.resolve("deploy");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!deployedActive(ctx, deploy) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        Set<String> schemes = new TreeSet<>();
        try {
            ServiceReference<?>[] refs = ctx.getServiceReferences(DRIVER, null);
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    Object s = r.getProperty("jvirt.uri.scheme");
                    if (s instanceof String[] a) {
                        schemes.addAll(List.of(a));
                    } else if (s != null) {
                        schemes.add(s.toString());
                    }
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // not reachable with a null filter; stopping meanwhile
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        log.println("jvirtd: ready in " + ms + " ms: drivers " + String.join(",", schemes)
                + (failed.isEmpty() ? "" : "; bundles not started: " + String.join(",", failed)));
        log.flush();
    }

    private static boolean deployedActive(BundleContext ctx, Path deploy) {
        List<String> want = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(deploy, "*.jar")) {
            for (Path p : ds) {
                want.add(p.toAbsolutePath().normalize().toString());
            }
        } catch (IOException e) {
            return true;
        }
        if (want.isEmpty()) {
            return true;
        }
        for (Bundle b : ctx.getBundles()) {
            String loc = b.getLocation();
            want.removeIf(w -> loc.endsWith(w) && (b.getState() == Bundle.ACTIVE
                    || b.getHeaders().get(Constants.FRAGMENT_HOST) != null));
        }
        return want.isEmpty();
    }

    /** The shutdown hook (SIGTERM, SIGINT): stops every bundle, then the framework. */
    private void stopFramework() {
        Framework f = framework;
        if (f == null) {
            return;
        }
        try {
            f.stop();
            f.waitForStop(TimeUnit.SECONDS.toMillis(20));
        } catch (BundleException | InterruptedException e) {
            log.println("jvirtd: stopping the framework failed: " + e);
        }
        logStopped();
    }

    private void logStopped() {
        if (stopLogged.compareAndSet(false, true)) {
            log.println("jvirtd: stopped");
            log.flush();
        }
    }
}
