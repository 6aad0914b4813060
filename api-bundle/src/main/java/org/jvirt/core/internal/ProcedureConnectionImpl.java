package org.jvirt.core.internal;

import java.lang.reflect.InvocationTargetException;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.spi.Procedure;
import org.jvirt.spi.ProcedureFrontEnd;

/**
 * A server's view of one driver connection: every procedure goes through the same checks as the public
 * API (connection usable, read-only refusal, errors reported as the thread's last error).
 */
final class ProcedureConnectionImpl implements ProcedureFrontEnd.ProcedureConnection {
    private final FrontEndImpl frontEnd;
    private final DriverConnection conn;
    private final boolean readOnly;
    private NetworkConnection networks;
    private volatile boolean closed;

    ProcedureConnectionImpl(FrontEndImpl frontEnd, DriverConnection conn, boolean readOnly) {
        this.frontEnd = frontEnd;
        this.conn = conn;
        this.readOnly = readOnly;
    }

    @Override
    public Object call(Procedure procedure, String api, Object[] args) {
        frontEnd.enter();
        try {
            if (closed) {
                throw new VirtException(new VirtError(ErrorCode.INVALID_CONN, ErrorDomain.NONE,
                        "invalid connection: the connection is closed"));
            }
            if (readOnly && procedure.isMutating()) {
                throw frontEnd.readOnlyRefusal(api);
            }
            Object target = procedure.owner() == NetworkConnection.class ? networks() : conn;
            return procedure.method().invoke(target, args);
        } catch (InvocationTargetException e) {
            throw report(e.getCause());
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw report(new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.RPC,
                    "cannot call " + procedure.methodName() + ": " + e));
        } catch (RuntimeException e) {
            throw report(e);
        }
    }

    private RuntimeException report(Throwable t) {
        VirtException ve = t instanceof VirtException v ? v
                : new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE, String.valueOf(t), t);
        frontEnd.report(ve.error());
        return ve;
    }

    private synchronized NetworkConnection networks() {
        if (networks == null) {
            networks = conn.networks();
            if (networks == null) {
                throw VirtException.noSupport("no network driver for " + conn.connectGetURI());
            }
        }
        return networks;
    }

    @Override
    public String uri() {
        return conn.connectGetURI();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        conn.connectClose();
    }
}
