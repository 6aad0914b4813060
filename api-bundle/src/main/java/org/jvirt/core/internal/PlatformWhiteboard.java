package org.jvirt.core.internal;

import org.jvirt.api.DomainEventListener;
import org.jvirt.api.DriverInfo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Two whiteboards through which other bundles (the platform bundle) reach into the front end using
 * public types only, so that this package stays private:
 * <ul>
 * <li>a {@link DomainEventListener} service with {@code jvirt.events=all} observes the lifecycle
 * events of every connection (the EventAdmin bridge);</li>
 * <li>a {@link DriverInfo} service with a rejected reason lists a driver that could not be used
 * (e.g. its component failed to activate) under {@code Connect.listDrivers()}.</li>
 * </ul>
 */
@Component(immediate = true)
public class PlatformWhiteboard {

    /** The service property a global {@link DomainEventListener} carries. */
    public static final String EVENTS_PROPERTY = "jvirt.events";

    @Reference(service = DomainEventListener.class, target = "(" + EVENTS_PROPERTY + "=all)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(DomainEventListener l) {
        EventFanout.addGlobal(l);
    }

    void unbindListener(DomainEventListener l) {
        EventFanout.removeGlobal(l);
    }

    @Reference(service = DriverInfo.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindRejected(DriverInfo info) {
        if (!info.isActive()) {
            DriverRegistry.get().reject(info.name(), info.rejectedReason(), info.origin());
        }
    }

    void unbindRejected(DriverInfo info) {
        if (!info.isActive()) {
            DriverRegistry.get().clearRejected(info.name());
        }
    }
}
