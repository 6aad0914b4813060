package org.jvirt.shell;

import org.jvirt.api.Connect;
import org.jvirt.api.DriverInfo;

/** The drivers command's output: active drivers with their schemes, then rejected ones with the reason. */
final class DriverListing {

    private DriverListing() {
    }

    static void print(Session s) {
        Table t = new Table("Name", "Schemes", "Ranking", "Origin");
        Table r = new Table("Name", "Origin", "Reason");
        boolean anyRejected = false;
        for (DriverInfo d : Connect.listDrivers()) {
            if (d.isActive()) {
                t.add(d.name(), String.join(",", d.schemes()), Integer.toString(d.ranking()), d.origin());
            } else {
                r.add(d.name(), d.origin(), d.rejectedReason());
                anyRejected = true;
            }
        }
        t.print(s);
        if (anyRejected) {
            s.print("\nRejected drivers:\n");
            r.print(s);
        }
    }
}
