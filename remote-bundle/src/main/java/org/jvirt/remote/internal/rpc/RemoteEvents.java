package org.jvirt.remote.internal.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.TypedParameter;
import org.jvirt.remote.internal.xdr.XdrException;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.DomainEventIds;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;

/**
 * The payloads of the event MESSAGEs the server sends (header type {@link MessageHeader#MESSAGE}, see
 * {@link RemoteProtocol#eventHeader}): one form per libvirt event id, as remote_protocol.x's
 * remote_domain_event_callback_*_msg structs lay them out.
 */
public final class RemoteEvents {
    private RemoteEvents() {
    }

    /**
     * The wire form of one event id: its procedure, whether an int reason precedes the domain (the PM
     * events), and the fields after the domain in remote_protocol.x's order.
     */
    public record Form(int eventId, int procedure, boolean reasonBeforeDomain, List<XdrType<?>> fields) {
    }

    private static final XdrType<List<TypedParameter>> TUNABLE_PARAMS = XdrTypes.list(XdrTypes.TYPED_PARAM, 2048);
    private static final XdrType<List<TypedParameter>> JOB_PARAMS = XdrTypes.list(XdrTypes.TYPED_PARAM, 64);

    private static final Map<Integer, Form> BY_EVENT = new TreeMap<>();
    private static final Map<Integer, Form> BY_PROCEDURE = new TreeMap<>();

    static {
        XdrType<?> i = XdrTypes.INT;
        XdrType<?> h = XdrTypes.HYPER;
        XdrType<?> s = XdrTypes.STRING;
        XdrType<?> os = XdrTypes.OPT_STRING;
        form(DomainEventIds.LIFECYCLE, 318, false, i, i);
        form(DomainEventIds.REBOOT, 319, false);
        form(DomainEventIds.RTC_CHANGE, 320, false, h);
        form(DomainEventIds.WATCHDOG, 321, false, i);
        form(DomainEventIds.IO_ERROR, 322, false, s, s, i);
        // 5, GRAPHICS (323): its address and subject structs have no form here; such events are not sent
        form(6, 324, false, s, s, i, s); // IO_ERROR_REASON
        form(7, 325, false); // CONTROL_ERROR
        form(8, 326, false, s, i, i); // BLOCK_JOB
        form(9, 327, false, os, os, s, i); // DISK_CHANGE
        form(10, 328, false, s, i); // TRAY_CHANGE
        form(11, 329, true); // PMWAKEUP
        form(12, 330, true); // PMSUSPEND
        form(13, 331, false, h); // BALLOON_CHANGE
        form(14, 332, true); // PMSUSPEND_DISK
        form(DomainEventIds.DEVICE_REMOVED, 333, false, s);
        form(16, 339, false, s, i, i); // BLOCK_JOB_2
        form(DomainEventIds.TUNABLE, 346, false, TUNABLE_PARAMS);
        form(18, 348, false, i, i); // AGENT_LIFECYCLE
        form(DomainEventIds.DEVICE_ADDED, 354, false, s);
        form(20, 359, false, i); // MIGRATION_ITERATION
        form(DomainEventIds.JOB_COMPLETED, 363, false, JOB_PARAMS);
        form(DomainEventIds.DEVICE_REMOVAL_FAILED, 367, false, s);
        form(23, 379, false, i, os); // METADATA_CHANGE
        form(24, 385, false, s, os, h, h); // BLOCK_THRESHOLD
        form(25, 423, false, i, i, i); // MEMORY_FAILURE
        form(26, 438, false, s, h); // MEMORY_DEVICE_SIZE_CHANGE
    }

    private static void form(int eventId, int procedure, boolean reasonFirst, XdrType<?>... fields) {
        Form f = new Form(eventId, procedure, reasonFirst, List.of(fields));
        BY_EVENT.put(eventId, f);
        BY_PROCEDURE.put(procedure, f);
    }

    /** The form of an event id, or null when it has none here (GRAPHICS, unknown ids). */
    public static Form formOfEvent(int eventId) {
        return BY_EVENT.get(eventId);
    }

    /** The form sent as a procedure, or null when the procedure is not a callback event. */
    public static Form formOfProcedure(int procedure) {
        return BY_PROCEDURE.get(procedure);
    }

    /** One event for a callback, as it travels. */
    public record Event(int callbackId, int eventId, DomainRef domain, EventPayload payload) {
    }

    /**
     * The whole frame of an event for a callback.
     *
     * @throws XdrException when the payload does not fit the event's form, or the id has no form
     */
    public static byte[] frame(int callbackId, int eventId, DomainRef dom, EventPayload payload) {
        Form f = formOfEvent(eventId);
        if (f == null) {
            throw new XdrException("event " + eventId + " has no wire form here");
        }
        List<Object> values = values(payload);
        int expected = f.fields().size() + (f.reasonBeforeDomain() ? 1 : 0);
        if (values.size() != expected) {
            throw new XdrException("event " + eventId + " takes " + expected + " values, not " + values.size());
        }
        XdrWriter w = new XdrWriter();
        w.writeInt(callbackId);
        int next = 0;
        if (f.reasonBeforeDomain()) {
            XdrTypes.INT.write(w, (Integer) values.get(next++));
        }
        XdrTypes.DOMAIN.write(w, dom);
        for (XdrType<?> t : f.fields()) {
            write(w, t, values.get(next++));
        }
        return Packet.frame(RemoteProtocol.eventHeader(f.procedure()), w);
    }

    /** Reads the payload of a callback event sent as {@code procedure}; null when it is no such event. */
    public static Event read(int procedure, XdrReader r) {
        Form f = formOfProcedure(procedure);
        if (f == null) {
            return null;
        }
        int callbackId = r.readInt();
        List<Object> values = new ArrayList<>();
        if (f.reasonBeforeDomain()) {
            values.add(r.readInt());
        }
        DomainRef dom = XdrTypes.DOMAIN.read(r);
        for (XdrType<?> t : f.fields()) {
            values.add(t.read(r));
        }
        r.expectEnd();
        return new Event(callbackId, f.eventId(), dom, payload(f.eventId(), values));
    }

    @SuppressWarnings("unchecked")
    private static <T> void write(XdrWriter w, XdrType<T> t, Object value) {
        try {
            t.write(w, (T) value);
        } catch (ClassCastException e) {
            throw new XdrException("event value of the wrong kind: " + value);
        }
    }

    /** A payload's values in the wire's order (after the callback id, without the domain). */
    static List<Object> values(EventPayload payload) {
        if (payload instanceof EventPayload.Lifecycle l) {
            return List.of(l.type().code(), l.detail());
        } else if (payload instanceof EventPayload.Device d) {
            return List.of(d.alias());
        } else if (payload instanceof EventPayload.Params p) {
            return List.of(p.params());
        }
        return ((EventPayload.Generic) payload).values();
    }

    @SuppressWarnings("unchecked")
    static EventPayload payload(int eventId, List<Object> values) {
        switch (eventId) {
            case DomainEventIds.LIFECYCLE:
                try {
                    return new EventPayload.Lifecycle(DomainEventType.fromCode((Integer) values.get(0)), (Integer) values.get(1));
                } catch (RuntimeException unknownType) {
                    return new EventPayload.Generic(values);
                }
            case DomainEventIds.DEVICE_ADDED, DomainEventIds.DEVICE_REMOVED, DomainEventIds.DEVICE_REMOVAL_FAILED:
                return new EventPayload.Device((String) values.get(0));
            case DomainEventIds.TUNABLE, DomainEventIds.JOB_COMPLETED:
                return new EventPayload.Params((List<TypedParameter>) values.get(0));
            default:
                return new EventPayload.Generic(values);
        }
    }


    // ---- lifecycle, the event every client registers for -----------------------------------------

    /**
     * One lifecycle event.
     *
     * @param callbackId the id CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY returned, or -1 for the old-style
     *                   event (procedure 107), which has none
     * @param domain     the domain concerned
     * @param event      virDomainEventType
     * @param detail     the detail, numbered per event type
     */
    public record Lifecycle(int callbackId, DomainRef domain, int event, int detail) {
    }

    /**
     * REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE (318): remote_domain_event_callback_lifecycle_msg
     * {int callbackID; remote_domain_event_lifecycle_msg msg {remote_nonnull_domain dom; int event;
     * int detail}}.
     */
    public static void writeLifecycle(XdrWriter w, int callbackId, DomainRef dom, int event, int detail) {
        w.writeInt(callbackId);
        writeLegacyLifecycle(w, dom, event, detail);
    }

    public static Lifecycle readLifecycle(XdrReader r) {
        int callbackId = r.readInt();
        Lifecycle l = readLegacyLifecycle(r);
        return new Lifecycle(callbackId, l.domain(), l.event(), l.detail());
    }

    /** The whole frame of a lifecycle event for a callback. */
    public static byte[] lifecycleFrame(int callbackId, DomainRef dom, int event, int detail) {
        XdrWriter w = new XdrWriter();
        writeLifecycle(w, callbackId, dom, event, detail);
        return Packet.frame(RemoteProtocol.eventHeader(RemoteProtocol.DOMAIN_EVENT_CALLBACK_LIFECYCLE), w);
    }

    /** REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE (107): remote_domain_event_lifecycle_msg {dom; event; detail}. */
    public static void writeLegacyLifecycle(XdrWriter w, DomainRef dom, int event, int detail) {
        XdrTypes.DOMAIN.write(w, dom);
        w.writeInt(event);
        w.writeInt(detail);
    }

    public static Lifecycle readLegacyLifecycle(XdrReader r) {
        return new Lifecycle(-1, XdrTypes.DOMAIN.read(r), r.readInt(), r.readInt());
    }
}
