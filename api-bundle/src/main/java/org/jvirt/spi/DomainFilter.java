package org.jvirt.spi;

import org.jvirt.api.DomainState;
import org.jvirt.api.ListDomainsFlag;

/** libvirt's listAllDomains filter semantics: within each flag group any set flag may match; groups combine. */
public final class DomainFilter {
    private DomainFilter() {
    }

    private static boolean has(int flags, ListDomainsFlag f) {
        return (flags & f.bit()) != 0;
    }

    public static boolean matches(int flags, DomainState state, boolean persistent, boolean autostart,
            boolean managedSave, boolean hasSnapshot, boolean hasCheckpoint) {
        boolean active = state.isActive();
        if ((has(flags, ListDomainsFlag.ACTIVE) || has(flags, ListDomainsFlag.INACTIVE))
                && !(has(flags, ListDomainsFlag.ACTIVE) && active || has(flags, ListDomainsFlag.INACTIVE) && !active)) {
            return false;
        }
        if ((has(flags, ListDomainsFlag.PERSISTENT) || has(flags, ListDomainsFlag.TRANSIENT))
                && !(has(flags, ListDomainsFlag.PERSISTENT) && persistent
                        || has(flags, ListDomainsFlag.TRANSIENT) && !persistent)) {
            return false;
        }
        int stateMask = ListDomainsFlag.RUNNING.bit() | ListDomainsFlag.PAUSED.bit() | ListDomainsFlag.SHUTOFF.bit()
                | ListDomainsFlag.OTHER.bit();
        if ((flags & stateMask) != 0) {
            boolean ok = switch (state) {
                case RUNNING -> has(flags, ListDomainsFlag.RUNNING);
                case PAUSED -> has(flags, ListDomainsFlag.PAUSED);
                case SHUTOFF -> has(flags, ListDomainsFlag.SHUTOFF);
                default -> has(flags, ListDomainsFlag.OTHER);
            };
            if (!ok) {
                return false;
            }
        }
        if (!pair(flags, ListDomainsFlag.MANAGEDSAVE, ListDomainsFlag.NO_MANAGEDSAVE, managedSave)
                || !pair(flags, ListDomainsFlag.AUTOSTART, ListDomainsFlag.NO_AUTOSTART, autostart)
                || !pair(flags, ListDomainsFlag.HAS_SNAPSHOT, ListDomainsFlag.NO_SNAPSHOT, hasSnapshot)) {
            return false;
        }
        return pair(flags, ListDomainsFlag.HAS_CHECKPOINT, ListDomainsFlag.NO_CHECKPOINT, hasCheckpoint);
    }

    private static boolean pair(int flags, ListDomainsFlag yes, ListDomainsFlag no, boolean value) {
        if (!has(flags, yes) && !has(flags, no)) {
            return true;
        }
        return has(flags, yes) && value || has(flags, no) && !value;
    }
}
