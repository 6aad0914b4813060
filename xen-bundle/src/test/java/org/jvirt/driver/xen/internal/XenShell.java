package org.jvirt.driver.xen.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.jvirt.core.internal.FrontEndImpl;
import org.jvirt.shell.Session;

/** jvirsh's commands in this JVM against one configured Xen driver (the faked host's xl and xenstored). */
final class XenShell {
    private final XenDriver driver;

    XenShell(XenDriver driver) {
        this.driver = driver;
    }

    /** Runs one jvirsh command line on xen:///system: exit code 0 or 1, standard output and error. */
    LibvirtLibxlDaemon.Result run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (Session s = new Session(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))) {
            s.setOpener((uri, ro) -> FrontEndImpl.of(driver).open(uri, null, Set.of()));
            s.connect("xen:///system", false);
            boolean ok = s.execute(List.of(argv));
            return new LibvirtLibxlDaemon.Result(ok ? 0 : 1, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }
}
