package org.jvirt.platform.gogo;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.jvirt.shell.CommandDef;
import org.jvirt.shell.Commands;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The Gogo scope {@code jvirt}: every jvirsh command as {@code jvirt:NAME} (e.g. {@code jvirt:list --all},
 * {@code jvirt:dominfo 1}, {@code jvirt:drivers}). A leading {@code -c URI} (or {@code --connect URI})
 * connects first, as virsh's global option. Each Gogo session keeps its own jvirsh session, hence its
 * connection, between commands. Registers nothing when Gogo's API is not present.
 */
@Component(immediate = true)
public class GogoCommands {

    static final String SCOPE = "jvirt";

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final SessionStates sessions = new SessionStates();

    @Activate
    void activate(BundleContext context) {
        try {
            Class.forName("org.apache.felix.service.command.Function", false, getClass().getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return; // no Gogo here: a headless daemon
        }
        // every jvirsh command, "drivers" (active and rejected drivers, with reasons) included
        for (CommandDef d : Commands.standard().all()) {
            register(context, d.name(), Functions.shell(sessions, d.name()));
        }
    }

    private void register(BundleContext context, String function, Object service) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", SCOPE);
        props.put("osgi.command.function", new String[] {function});
        registrations.add(context.registerService(Functions.FUNCTION, service, props));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // gone with the framework
            }
        }
        registrations.clear();
        sessions.closeAll();
    }
}
