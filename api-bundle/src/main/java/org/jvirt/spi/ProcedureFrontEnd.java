package org.jvirt.spi;

import org.jvirt.api.ConnectAuth;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The front end as a server sees it (jvirtd's dispatch): connections that take libvirt procedures from
 * the {@link Procedure} table, with the same read-only, error and last-error handling as the public API.
 * The front end object (in OSGi, the {@code org.jvirt.api.FrontEnd} service) implements it.
 */
@ProviderType
public interface ProcedureFrontEnd {

    /**
     * Opens a driver connection for a remote client.
     *
     * @param uri      the URI the client asked for (without transport and host)
     * @param readOnly whether the client came in read-only (e.g. through the read-only socket)
     * @param events   where the driver's events for this client go
     */
    ProcedureConnection openProcedures(String uri, ConnectAuth auth, boolean readOnly, EventSink events);

    /** One client's connection: procedures in, results out. */
    interface ProcedureConnection extends AutoCloseable {

        /**
         * Calls one procedure. The read-only check comes first, from {@link Procedure#isMutating()}.
         *
         * @param api  libvirt's API name the client called, for messages (e.g. "virDomainDestroy")
         * @param args the SPI method's arguments
         * @return the SPI method's result
         */
        Object call(Procedure procedure, String api, Object[] args);

        /** The driver's canonical URI. */
        String uri();

        @Override
        void close();
    }
}
