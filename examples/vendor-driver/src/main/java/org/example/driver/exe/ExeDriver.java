package org.example.driver.exe;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.jvirt.api.VirtUri;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@code exe:///} driver: each domain is a host process, started from the domain's
 * {@code <os><type>exe</type><init>/path</init><initarg>...</initarg></os>} as libvirt's LXC driver
 * describes a container's init. Suspend and resume are SIGSTOP and SIGCONT; info reads /proc.
 *
 * <p>In OSGi it is a DS component configured by the PID {@value #PID} (FileInstall reads it from
 * {@code etc/org.example.driver.exe.cfg}); on a flat class path {@link java.util.ServiceLoader} finds
 * it and it configures itself from system properties of the same names, prefixed with the PID.
 */
@Component(service = Driver.class, configurationPid = ExeDriver.PID,
        property = {Driver.SCHEME_PROPERTY + "=exe", "service.ranking:Integer=0"})
public class ExeDriver implements Driver {

    /** The configuration PID, also the prefix of the system properties used outside OSGi. */
    public static final String PID = "org.example.driver.exe";

    /** Settings; each also exists as a system property {@code org.example.driver.exe.NAME}. */
    public @interface Config {
        /** Where definitions, autostart marks, live status and logs are kept. */
        String stateDir() default "";

        /** Whether domains marked autostart are started when the driver starts. */
        boolean autostart() default true;

        /** The URI to use when a caller gives none, e.g. exe:///session; empty for none. */
        String defaultUri() default "";
    }

    private volatile ExeHost host;
    private volatile String defaultUri = "";

    /** Used by DS and by ServiceLoader. */
    public ExeDriver() {
    }

    @Activate
    void activate(Config config) {
        // a state directory that cannot be used fails the activation: jvirt lists the driver as
        // rejected, with this message as the reason
        host = ExeHost.open(stateDir(config.stateDir()), config.autostart());
        defaultUri = config.defaultUri();
    }

    @Deactivate
    void deactivate() {
        ExeHost h = host;
        host = null;
        if (h != null) {
            h.close();
        }
    }

    /** The host, created on first use when running without OSGi. */
    ExeHost host() {
        ExeHost h = host;
        if (h == null) {
            synchronized (this) {
                h = host;
                if (h == null) {
                    h = ExeHost.open(stateDir(System.getProperty(PID + ".stateDir", "")),
                            Boolean.parseBoolean(System.getProperty(PID + ".autostart", "true")));
                    defaultUri = System.getProperty(PID + ".defaultUri", "");
                    host = h;
                }
            }
        }
        return h;
    }

    static Path stateDir(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String jvirtState = System.getProperty("jvirt.state.dir");
        if (jvirtState != null && !jvirtState.isBlank()) {
            return Path.of(jvirtState, "exe");
        }
        return Path.of(System.getProperty("user.home"), ".local", "share", "jvirt", "exe");
    }

    @Override
    public String name() {
        return "exe";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("exe");
    }

    @Override
    public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
        if (!"exe".equals(uri.driver()) || uri.isRemote()) {
            return Optional.empty();
        }
        String path = uri.path();
        if (!path.equals("/system") && !path.equals("/session") && !path.isEmpty() && !path.equals("/")) {
            throw ExeErrors.invalidArg("unexpected exe URI path '" + path + "', try exe:///session");
        }
        ExeHost h = host();
        return Optional.of(new ExeConnection(h, "exe://" + (path.isEmpty() || path.equals("/") ? "/session" : path),
                context.events()));
    }

    @Override
    public Optional<String> defaultUri() {
        String u = defaultUri;
        return u == null || u.isBlank() ? Optional.empty() : Optional.of(u.trim());
    }
}
