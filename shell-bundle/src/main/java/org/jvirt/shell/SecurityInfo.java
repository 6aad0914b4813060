package org.jvirt.shell;

import org.jvirt.api.Domain;
import org.jvirt.api.SecurityLabel;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.VirtException;

/** The security lines of dominfo, as virsh prints them. */
final class SecurityInfo {

    private SecurityInfo() {
    }

    static void print(Session s, Domain dom) {
        SecurityModel model;
        try {
            model = s.conn().getSecurityModel();
        } catch (VirtException e) {
            return; // virsh prints nothing when the model cannot be had
        }
        if (model.model().isEmpty()) {
            return;
        }
        s.printf("%-15s %s\n", "Security model:", model.model());
        s.printf("%-15s %s\n", "Security DOI:", model.doi());
        SecurityLabel label;
        try {
            label = dom.getSecurityLabel();
        } catch (VirtException e) {
            throw new CommandFailed(null, e);
        }
        if (!label.label().isEmpty()) {
            s.printf("%-15s %s (%s)\n", "Security label:", label.label(), label.enforcing() ? "enforcing" : "permissive");
        }
    }
}
