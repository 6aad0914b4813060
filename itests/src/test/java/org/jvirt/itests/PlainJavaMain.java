package org.jvirt.itests;

import java.util.List;
import java.util.stream.Collectors;

import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainState;
import org.jvirt.api.DriverInfo;

/**
 * A plain Java program using jvirt on a flat class path (run by {@link PlainJavaIT} in its own JVM):
 * drivers come from ServiceLoader, no OSGi framework is present.
 */
public final class PlainJavaMain {

    private PlainJavaMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.example.driver.exe.stateDir", args[0]);
        // from the environment, not the command line, so that only the domain's process has it as argument
        String token = System.getenv("PLAIN_TOKEN");
        try {
            Class.forName("org.osgi.framework.Bundle");
            System.out.println("osgi: present");
        } catch (ClassNotFoundException e) {
            System.out.println("osgi: absent");
        }
        List<DriverInfo> drivers = Connect.listDrivers();
        System.out.println("drivers: " + drivers.stream().map(d -> d.name() + "/" + d.origin())
                .sorted().collect(Collectors.joining(",")));
        try (Connect conn = Connect.open("test:///default")) {
            System.out.println("test: " + conn.lookupById(1).getName() + " " + conn.lookupById(1).getInfo().state());
        }
        try (Connect conn = Connect.open("exe:///session")) {
            Domain dom = conn.createXML(ExeDomains.xml("plain", "/bin/sleep", token));
            long pid = ExeDomains.process(token).orElseThrow().pid();
            dom.suspend();
            char paused = ExeDomains.procState(pid);
            dom.resume();
            DomainState state = dom.getInfo().state();
            dom.destroy();
            System.out.println("exe: pid " + pid + " paused=" + paused + " then " + state + ", alive after destroy="
                    + ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }
}
