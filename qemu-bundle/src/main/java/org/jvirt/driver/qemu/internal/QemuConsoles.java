package org.jvirt.driver.qemu.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.StreamPeer;
import org.jvirt.xml.CharDeviceDef;
import org.jvirt.xml.DomainDef;

/**
 * Consoles (virDomainOpenConsole): a stream joined to the pty QEMU gives a serial or console device, in raw
 * mode as libvirt's virFDStreamOpenPTY sets it. One session per domain; FORCE takes over, and the session
 * it replaces ends with an error. The stream ends (end of stream) when QEMU closes the pty.
 */
final class QemuConsoles {
    static final int FORCE = 1;
    static final int SAFE = 2;
    /** How long a reader waits in poll(2) before it looks whether its session was closed. */
    private static final int POLL_MS = 200;

    private final QemuHost host;
    /** The open session of each domain, by UUID (a session removes itself once its reader has ended). */
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();

    QemuConsoles(QemuHost host) {
        this.host = host;
    }

    void open(DomainRef dom, String devName, StreamPeer stream, int flags) {
        Procedure.checkFlags(flags, FORCE | SAFE, ErrorDomain.QEMU, "qemuDomainOpenConsole");
        QemuDomain d = host.domains.get(dom);
        String pty;
        synchronized (d) {
            if (!d.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.QEMU, "domain is not running");
            }
            pty = ptyOf(d.live, devName);
        }
        synchronized (sessions) {
            Session old = sessions.get(d.uuid());
            if (old != null && old.isOpen()) {
                if ((flags & FORCE) == 0) {
                    throw new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                            "Active console session exists for this domain");
                }
                old.takenOver();
            }
            Session s = new Session(d.uuid(), d.name(), pty, Pty.open(pty), stream);
            sessions.put(d.uuid(), s);
            s.start();
        }
    }

    /** The pty of the console or serial device asked for: the first console, else the first serial. */
    private static String ptyOf(DomainDef live, String devName) {
        CharDeviceDef chr = null;
        List<CharDeviceDef> consoles = live.getConsoles();
        List<CharDeviceDef> serials = live.getSerials();
        if (devName == null) {
            chr = !consoles.isEmpty() ? consoles.get(0) : serials.isEmpty() ? null : serials.get(0);
        } else {
            for (int i = 0; i < consoles.size() && chr == null; i++) {
                if (devName.equals("console" + i) || devName.equals(consoles.get(i).getAlias())) {
                    chr = consoles.get(i);
                }
            }
            for (int i = 0; i < serials.size() && chr == null; i++) {
                if (devName.equals("serial" + i) || devName.equals(serials.get(i).getAlias())) {
                    chr = serials.get(i);
                }
            }
        }
        if (chr == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU,
                    "cannot find character device " + (devName == null ? "<null>" : devName));
        }
        if (!"pty".equals(chr.getType()) || chr.getSourcePath() == null) {
            String name = devName != null ? devName : chr.getAlias() != null ? chr.getAlias() : "<null>";
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.QEMU,
                    "character device " + name + " is not using a PTY");
        }
        return chr.getSourcePath();
    }

    /**
     * One console session: its thread copies the pty to the stream until QEMU hangs up or the session is
     * closed; the user's data is written to the pty as it comes.
     */
    private final class Session implements StreamPeer.Handler {
        private final UUID uuid;
        private final String domain;
        private final String path;
        private final Pty pty;
        private final StreamPeer stream;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private Thread reader;

        Session(UUID uuid, String domain, String path, Pty pty, StreamPeer stream) {
            this.uuid = uuid;
            this.domain = domain;
            this.path = path;
            this.pty = pty;
            this.stream = stream;
        }

        boolean isOpen() {
            return open.get();
        }

        void start() {
            stream.bind(this);
            reader = new Thread(this::copyOut, "qemu-console-" + domain);
            reader.setDaemon(true);
            reader.start();
        }

        /** The pty to the stream, until QEMU hangs up (end of stream) or the session is closed. */
        private void copyOut() {
            byte[] buf = new byte[4096];
            try {
                while (open.get()) {
                    int ev = pty.poll(POLL_MS);
                    if (!open.get()) {
                        break;
                    }
                    if ((ev & Pty.POLLIN) != 0) {
                        int n = pty.read(buf);
                        if (n > 0) {
                            stream.send(buf, 0, n);
                            continue;
                        }
                        if (n < 0) {
                            continue; // nothing after all (EAGAIN, EINTR)
                        }
                        end(); // 0: hung up
                    } else if ((ev & (Pty.POLLHUP | Pty.POLLERR | Pty.POLLNVAL)) != 0) {
                        end();
                    }
                }
            } catch (VirtException e) {
                end(); // EIO: QEMU closed its side, the guest's console is gone
            } finally {
                pty.close();
                sessions.remove(uuid, this);
            }
        }

        /** QEMU's side ended: the user reads end of stream. */
        private void end() {
            if (open.compareAndSet(true, false)) {
                stream.sendEnd();
            }
        }

        /** Another client forced its way in: this stream fails, and its reader lets go of the pty. */
        void takenOver() {
            if (open.compareAndSet(true, false)) {
                stream.sendError(new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.QEMU,
                        "Active console session was taken over by another client").error());
            }
            join();
        }

        private void join() {
            Thread t = reader;
            if (t != null && t != Thread.currentThread()) {
                try {
                    t.join(2L * POLL_MS + 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void received(byte[] data, int offset, int length) {
            if (!open.get()) {
                return;
            }
            try {
                pty.write(data, offset, length);
            } catch (VirtException e) {
                if (open.compareAndSet(true, false)) {
                    stream.sendError(new VirtError(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU,
                            "cannot write to console " + path + ": " + e.getMessage()));
                }
            }
        }

        @Override
        public void finished() {
            open.set(false);
        }

        @Override
        public void aborted() {
            open.set(false);
        }
    }

    /**
     * A pty opened through the C library (JNA): with O_NOCTTY, so that it never becomes jvirtd's controlling
     * terminal (a hang-up would then signal the daemon); in raw mode (cfmakeraw); polled, so that a reader
     * sees QEMU's hang-up and never stays blocked after its session closed.
     */
    static final class Pty {
        static final short POLLIN = 0x1;
        static final short POLLERR = 0x8;
        static final short POLLHUP = 0x10;
        static final short POLLNVAL = 0x20;
        private static final int O_RDWR = 02;
        private static final int O_NOCTTY = 0400;
        private static final int O_CLOEXEC = 02000000;
        private static final int TCSANOW = 0;
        private static final int EINTR = 4;
        private static final int EAGAIN = 11;

        interface CLib extends Library {
            int open(String path, int flags) throws LastErrorException;

            int close(int fd) throws LastErrorException;

            NativeLong read(int fd, byte[] buf, NativeLong count)
                    throws LastErrorException;

            NativeLong write(int fd, byte[] buf, NativeLong count)
                    throws LastErrorException;

            int poll(Pointer fds, NativeLong nfds, int timeout)
                    throws LastErrorException;

            int tcgetattr(int fd, Pointer termios) throws LastErrorException;

            int tcsetattr(int fd, int action, Pointer termios) throws LastErrorException;

            void cfmakeraw(Pointer termios);
        }

        /** Loaded on first use, so that a host without JNA's native part fails only the console. */
        private static final class Holder {
            static final CLib C = Native.load("c", CLib.class);
        }

        private final String path;
        private final Memory pollfd = new Memory(8);
        /** The descriptor; -1 once closed (writes and the close hold the lock, so it is never reused). */
        private int fd;

        private Pty(String path, int fd) {
            this.path = path;
            this.fd = fd;
        }

        private static CLib c() {
            try {
                return Holder.C;
            } catch (LinkageError e) {
                throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.QEMU,
                        "consoles are not available here (JNA: " + e.getMessage() + ")");
            }
        }

        /** Opens the pty in raw mode. */
        static Pty open(String path) {
            CLib c = c();
            int fd;
            try {
                fd = c.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
            } catch (LastErrorException e) {
                throw fail("Unable to open console " + path, e);
            }
            try (Memory termios = new Memory(256)) {
                termios.clear();
                c.tcgetattr(fd, termios);
                c.cfmakeraw(termios);
                c.tcsetattr(fd, TCSANOW, termios);
            } catch (LastErrorException e) {
                try {
                    c.close(fd);
                } catch (LastErrorException ignored) {
                    // failing anyway
                }
                throw fail("Unable to set raw mode on console " + path, e);
            }
            return new Pty(path, fd);
        }

        private static VirtException fail(String what, LastErrorException e) {
            return new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, what + ": "
                    + e.getMessage() + " (errno " + e.getErrorCode() + ")", e);
        }

        /** Waits up to {@code millis} for data or a hang-up; returns poll(2)'s revents (0 on time-out). */
        int poll(int millis) {
            int f;
            synchronized (this) {
                f = fd;
            }
            if (f < 0) {
                return POLLNVAL;
            }
            pollfd.setInt(0, f);
            pollfd.setShort(4, POLLIN);
            pollfd.setShort(6, (short) 0);
            try {
                int n = c().poll(pollfd, new NativeLong(1), millis);
                return n <= 0 ? 0 : pollfd.getShort(6);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR) {
                    return 0;
                }
                throw fail("cannot poll console " + path, e);
            }
        }

        /** Reads what is there: the count, 0 at a hang-up, -1 when nothing was there after all. */
        int read(byte[] buf) {
            try {
                return (int) c().read(fd, buf, new NativeLong(buf.length)).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EINTR || e.getErrorCode() == EAGAIN) {
                    return -1;
                }
                throw fail("cannot read from console " + path, e);
            }
        }

        /** Writes all of it (blocking while the guest's side is full). */
        synchronized void write(byte[] data, int offset, int length) {
            if (fd < 0) {
                throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.QEMU, "console " + path + " is closed");
            }
            byte[] rest = java.util.Arrays.copyOfRange(data, offset, offset + length);
            while (rest.length > 0) {
                long n;
                try {
                    n = c().write(fd, rest, new NativeLong(rest.length)).longValue();
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == EINTR || e.getErrorCode() == EAGAIN) {
                        continue;
                    }
                    throw fail("cannot write to console " + path, e);
                }
                rest = java.util.Arrays.copyOfRange(rest, (int) n, rest.length);
            }
        }

        synchronized void close() {
            if (fd >= 0) {
                try {
                    c().close(fd);
                } catch (LastErrorException ignored) {
                    // closed anyway
                }
                fd = -1;
            }
        }
    }
}
