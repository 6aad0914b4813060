package org.jvirt.api;

import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A data stream with a driver (libvirt's virStream), e.g. a domain's console. Reading gives what the driver
 * sends (end of stream when it finishes); writing sends to the driver. {@link #close()} aborts a stream that
 * was not finished.
 */
@ProviderType
public interface Stream extends AutoCloseable {

    /** The driver's data; an IOException carries the driver's error when it aborted. */
    InputStream input();

    /** Data to the driver. */
    OutputStream output();

    /** No more data from this side (libvirt's virStreamFinish). */
    void finish();

    /** Ends the stream at once (libvirt's virStreamAbort). */
    void abort();

    @Override
    void close();
}
