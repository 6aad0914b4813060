package org.jvirt.spi;

import org.jvirt.api.VirtError;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The driver's end of a libvirt stream (virStream): a console, and later volume upload and download and
 * screenshots. The driver sends the user's side its data, and {@link #bind binds} a handler for the data
 * the user sends. Over the wire each call is one stream packet.
 */
@ProviderType
public interface StreamPeer {

    /** Bytes for the stream's user, e.g. what the guest wrote on its console. */
    void send(byte[] data, int offset, int length);

    /** The driver's side has ended: the user reads end of stream. */
    void sendEnd();

    /** The driver's side failed: the user's next read fails with this error. */
    void sendError(VirtError why);

    /** Where the user's bytes, and the user's finish or abort, go. The driver binds before it returns. */
    void bind(Handler handler);

    /** What a driver does with the user's side of a stream. */
    interface Handler {
        void received(byte[] data, int offset, int length);

        /** The user finished: no more data will come. */
        void finished();

        /** The user aborted (e.g. virsh console's Ctrl+]). */
        void aborted();
    }
}
