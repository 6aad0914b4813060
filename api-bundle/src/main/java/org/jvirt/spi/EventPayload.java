package org.jvirt.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.TypedParameter;

/** The data of one domain event, by kind; {@link Generic} carries any event id without a typed form. */
public sealed interface EventPayload {

    /** VIR_DOMAIN_EVENT_ID_LIFECYCLE. */
    record Lifecycle(DomainEventType type, int detail) implements EventPayload {
    }

    /** VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, _DEVICE_REMOVED: the device alias. */
    record Device(String alias) implements EventPayload {
    }

    /** VIR_DOMAIN_EVENT_ID_JOB_COMPLETED and _TUNABLE: typed parameters. */
    record Params(List<TypedParameter> params) implements EventPayload {
        public Params {
            params = List.copyOf(params);
        }
    }

    /**
     * Events with no data (VIR_DOMAIN_EVENT_ID_REBOOT) or none typed here: raw values in libvirt's order
     * (Integer, Long, String, or null for an absent optional string).
     */
    record Generic(List<Object> values) implements EventPayload {
        public Generic {
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }
    }
}
