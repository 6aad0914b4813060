package org.jvirt.remote.internal.rpc;

import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.DomainRef;

/**
 * The payloads of the event MESSAGEs the server sends (header type {@link MessageHeader#MESSAGE}, see
 * {@link RemoteProtocol#eventHeader}).
 */
public final class RemoteEvents {
    private RemoteEvents() {
    }

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
