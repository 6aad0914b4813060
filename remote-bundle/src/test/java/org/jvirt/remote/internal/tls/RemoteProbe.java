package org.jvirt.remote.internal.tls;

import java.util.Set;

import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.VirtException;
import org.jvirt.core.internal.FrontEndImpl;

/** Opens a URI with jvirt's remote driver and prints what it sees: run inside a daemon's network namespace. */
public final class RemoteProbe {
    private RemoteProbe() {
    }

    public static void main(String[] args) {
        try (Connect c = new FrontEndImpl().open(args[0], null, Set.of())) {
            System.out.println("type " + c.getType());
            System.out.println("encrypted " + c.isEncrypted());
            for (Domain d : c.listAllDomains()) {
                System.out.println("domain " + d.getName() + " " + d.getState().state());
            }
            c.lookupByName("test").suspend();
            System.out.println("suspended " + c.lookupByName("test").getState().state());
            c.lookupByName("test").resume();
        } catch (VirtException e) {
            System.out.println("error " + e.getMessage());
            System.exit(1);
        }
    }
}
