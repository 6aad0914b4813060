package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Assumptions;
import org.jvirt.api.DomainEventType;
import org.jvirt.api.JobInfo;
import org.jvirt.api.TypedParameter;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.EventSink;

/** What the QEMU tests share: prerequisites, the busybox initramfs, guest XML, events, cleanup. */
final class QemuTestSupport {
    static final String QEMU = "/usr/bin/qemu-system-x86_64";
    static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    private QemuTestSupport() {
    }

    /** Skips (or under CI=true fails) when a prerequisite is missing. */
    static void require(boolean ok, String what) {
        if (!ok) {
            if (CI) {
                fail("CI=true but " + what + " is missing (install qemu-system-x86 linux-image-amd64 busybox-static)");
            }
            Assumptions.assumeTrue(false, what + " is missing");
        }
    }

    static void requireQemu() {
        require(Files.isExecutable(Path.of(QEMU)), QEMU);
    }

    /** A recorded lifecycle event. */
    record Ev(String name, DomainEventType type, int detail) {
    }

    /** A recorded event of another id. */
    record Other(int eventId, String name, EventPayload payload) {
    }

    /** An event sink that queues what it gets: lifecycle events in {@link #queue}, the others in {@link #others}. */
    static final class Events implements EventSink {
        final BlockingQueue<Ev> queue = new LinkedBlockingQueue<>();
        final BlockingQueue<Other> others = new LinkedBlockingQueue<>();

        @Override
        public void domainEvent(int eventId, DomainRef domain, EventPayload payload) {
            if (payload instanceof EventPayload.Lifecycle l) {
                queue.add(new Ev(domain.name(), l.type(), l.detail()));
            } else {
                others.add(new Other(eventId, domain.name(), payload));
            }
        }

        /** Waits for an event of a type and detail, skipping others. */
        Ev await(DomainEventType type, int detail, long millis) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000L;
            List<Ev> seen = new ArrayList<>();
            while (true) {
                long left = end - System.nanoTime();
                Ev e = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    fail("no event " + type + "/" + type.detailLabel(detail) + " within " + millis + " ms; saw " + seen);
                }
                if (e.type() == type && e.detail() == detail) {
                    return e;
                }
                seen.add(e);
            }
        }

        /** Waits for an event of another id, skipping others. */
        Other awaitOther(int eventId, long millis) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000L;
            List<Other> seen = new ArrayList<>();
            while (true) {
                long left = end - System.nanoTime();
                Other e = left <= 0 ? null : others.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    fail("no event " + eventId + " within " + millis + " ms; saw " + seen);
                }
                if (e.eventId() == eventId) {
                    return e;
                }
                seen.add(e);
            }
        }
    }

    /** Registers a connection's callbacks for lifecycle events and the other ids the tests look at. */
    static DriverConnection listen(DriverConnection c) {
        for (int id : new int[] {DomainEventIds.LIFECYCLE, DomainEventIds.JOB_COMPLETED, DomainEventIds.DEVICE_ADDED,
            DomainEventIds.DEVICE_REMOVED}) {
            c.connectDomainEventCallbackRegisterAny(id, null);
        }
        return c;
    }

    /** A typed parameter's value as a long, or fails. */
    static long param(List<TypedParameter> params, String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst()
                .map(p -> ((Number) p.value()).longValue()).orElseThrow(() -> new AssertionError("no " + name
                        + " in " + params));
    }

    /**
     * Runs a long call while polling the domain's job info, as the front end does for its progress
     * listener; returns the (processed, total) pairs seen while the job ran.
     */
    static List<long[]> watchJob(DriverConnection c, DomainRef d, Runnable call) throws InterruptedException {
        List<long[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread poller = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    JobInfo info = c.domainGetJobInfo(d);
                    if (info.isActive() && info.dataTotal() > 0) {
                        seen.add(new long[] {info.dataProcessed(), info.dataTotal()});
                    }
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    return; // the domain is gone
                }
            }
        });
        poller.start();
        try {
            call.run();
        } finally {
            poller.interrupt();
            poller.join(2000);
        }
        return new ArrayList<>(seen);
    }

    static void waitFor(BooleanSupplier cond, long millis, String what) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + millis + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static String noDiskXml(String name, String extra) {
        return "<domain type='qemu'><name>" + name + "</name><uuid>" + java.util.UUID.randomUUID() + "</uuid>"
                + "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>"
                + extra + "<devices><emulator>" + QEMU + "</emulator></devices></domain>";
    }

    // ---- the kernel guest ---------------------------------------------------------------------------

    static final String MARKER = "JVIRT-GUEST-READY";

    static final String INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            /bin/busybox mount -t sysfs sys /sys
            /bin/busybox mount -t devtmpfs dev /dev
            /bin/busybox insmod /lib/modules/button.ko
            /bin/busybox insmod /lib/modules/evdev.ko
            for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_balloon; do
              /bin/busybox insmod /lib/modules/$m.ko 2>/dev/null
            done
            ev=
            for i in 1 2 3 4 5 6 7 8 9 10; do
              for e in /sys/class/input/event*; do
                if [ "$(/bin/busybox cat $e/device/name 2>/dev/null)" = "Power Button" ]; then ev=/dev/input/${e##*/}; fi
              done
              [ -n "$ev" ] && break
              /bin/busybox sleep 0.2
            done
            exec 3<$ev
            echo "JVIRT-GUEST-READY $ev"
            /bin/busybox dd of=/dev/null bs=24 count=1 <&3 2>/dev/null
            echo "JVIRT-GUEST-POWERBUTTON"
            /bin/busybox poweroff -f
            """;

    /** The newest installed kernel and its module directory, or null. */
    static Path kernel() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/boot"), "vmlinuz-*")) {
            List<Path> all = new ArrayList<>();
            ds.forEach(all::add);
            all.sort(Comparator.reverseOrder());
            for (Path k : all) {
                String ver = k.getFileName().toString().substring("vmlinuz-".length());
                if (Files.isReadable(k) && Files.isDirectory(Path.of("/lib/modules", ver))) {
                    return k;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    static Path busybox() {
        for (String p : new String[] {"/bin/busybox", "/usr/bin/busybox"}) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** A module's bytes, from .ko or .ko.xz/.ko.zst (decompressed with the host's tool). */
    static byte[] module(String ver, String rel) throws IOException, InterruptedException {
        Path base = Path.of("/lib/modules", ver, "kernel", rel);
        Path plain = Path.of(base + ".ko");
        if (Files.exists(plain)) {
            return Files.readAllBytes(plain);
        }
        for (String[] c : new String[][] {{".ko.xz", "xz"}, {".ko.zst", "zstd"}, {".ko.gz", "gzip"}}) {
            Path z = Path.of(base + c[0]);
            if (Files.exists(z)) {
                Process p = new ProcessBuilder(c[1], "-dc", z.toString()).start();
                byte[] out = p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IOException(c[1] + " failed on " + z);
                }
                return out;
            }
        }
        throw new IOException("module " + rel + " not found under /lib/modules/" + ver);
    }

    /** The boot marker of {@link #SHELL_INIT}. */
    static final String CONSOLE_MARKER = "JVIRT-CONSOLE-READY";

    /** An init that gives a busybox shell on the console (ttyS0), after its boot marker. */
    static final String SHELL_INIT = """
            #!/bin/busybox sh
            /bin/busybox mount -t proc proc /proc
            /bin/busybox mount -t sysfs sys /sys
            /bin/busybox mount -t devtmpfs dev /dev
            echo "JVIRT-CONSOLE-READY"
            exec /bin/busybox sh
            """;

    /** Builds the busybox initramfs (newc cpio) at test time. */
    static Path buildInitramfs(Path dir) throws IOException, InterruptedException {
        return buildInitramfs(dir, INIT);
    }

    /** Builds the busybox initramfs with another /init (e.g. {@link #SHELL_INIT}). */
    static Path buildInitramfs(Path dir, String init) throws IOException, InterruptedException {
        Path k = kernel();
        Path bb = busybox();
        require(k != null, "a kernel in /boot with its modules (linux-image-amd64)");
        require(bb != null, "busybox-static");
        String ver = k.getFileName().toString().substring("vmlinuz-".length());
        Cpio c = new Cpio();
        c.dir("bin");
        c.dir("dev");
        c.dir("proc");
        c.dir("sys");
        c.dir("lib");
        c.dir("lib/modules");
        c.file("init", init.getBytes(StandardCharsets.UTF_8), 0755);
        c.file("bin/busybox", Files.readAllBytes(bb), 0755);
        c.file("lib/modules/button.ko", module(ver, "drivers/acpi/button"), 0644);
        c.file("lib/modules/evdev.ko", module(ver, "drivers/input/evdev"), 0644);
        // the balloon's guest side: modules in Debian's kernel; a kernel that builds them in needs none
        for (String m : new String[] {"virtio_ring", "virtio", "virtio_pci_legacy_dev", "virtio_pci_modern_dev",
            "virtio_pci", "virtio_balloon"}) {
            try {
                c.file("lib/modules/" + m + ".ko", module(ver, "drivers/virtio/" + m), 0644);
            } catch (IOException builtIn) {
                // not a module here
            }
        }
        Path out = dir.resolve("initrd.cpio");
        Files.write(out, c.finish());
        return out;
    }

    /** A minimal newc cpio writer. */
    static final class Cpio {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int ino = 1;

        void dir(String name) {
            entry(name, new byte[0], 040755);
        }

        void file(String name, byte[] data, int perm) {
            entry(name, data, 0100000 | perm);
        }

        private void entry(String name, byte[] data, int mode) {
            byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
            String h = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", ino++, mode, 0, 0,
                    1, 0, data.length, 0, 0, 0, 0, n.length, 0);
            out.writeBytes(h.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(n);
            pad();
            out.writeBytes(data);
            pad();
        }

        private void pad() {
            while (out.size() % 4 != 0) {
                out.write(0);
            }
        }

        byte[] finish() {
            entry("TRAILER!!!", new byte[0], 0);
            return out.toByteArray();
        }
    }

    static String kernelGuestXml(String name, Path initrd, Path serialLog) {
        return "<domain type='qemu'><name>" + name + "</name><uuid>" + java.util.UUID.randomUUID() + "</uuid>"
                + "<memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type>"
                + "<kernel>" + kernel() + "</kernel><initrd>" + initrd + "</initrd>"
                + "<cmdline>console=ttyS0 quiet panic=-1</cmdline></os><features><acpi/><apic/></features>"
                + "<devices><emulator>" + QEMU + "</emulator>"
                + "<serial type='file'><source path='" + serialLog + "'/><target port='0'/></serial>"
                + "</devices></domain>";
    }

    /** A kernel guest whose serial port (and console) is a pty, for virDomainOpenConsole. */
    static String consoleGuestXml(String name, Path initrd) {
        return "<domain type='qemu'><name>" + name + "</name><uuid>" + java.util.UUID.randomUUID() + "</uuid>"
                + "<memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type>"
                + "<kernel>" + kernel() + "</kernel><initrd>" + initrd + "</initrd>"
                + "<cmdline>console=ttyS0 quiet panic=-1</cmdline></os><features><acpi/><apic/></features>"
                + "<devices><emulator>" + QEMU + "</emulator>"
                + "<serial type='pty'><target port='0'/></serial>"
                + "<console type='pty'><target type='serial' port='0'/></console>"
                + "</devices></domain>";
    }

    // ---- cleanup ------------------------------------------------------------------------------------

    /** Kills every process whose command line mentions the root (the last line of defence). */
    static int killStray(Path root) {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String pid = p.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains(root.toString()) && cmd.contains("qemu-system")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                        n++;
                    }
                } catch (IOException ignored) {
                    // gone
                }
            }
        } catch (IOException ignored) {
            // no /proc
        }
        return n;
    }
}
