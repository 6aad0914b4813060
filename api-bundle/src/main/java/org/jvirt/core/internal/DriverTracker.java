package org.jvirt.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirt.api.Connect;
import org.jvirt.api.ConnectAuth;
import org.jvirt.api.DomainEventListener;
import org.jvirt.api.DriverInfo;
import org.jvirt.api.ErrorListener;
import org.jvirt.api.FrontEnd;
import org.jvirt.api.OpenFlag;
import org.jvirt.api.VirtError;
import org.jvirt.spi.Driver;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.NetworkDriver;
import org.jvirt.spi.ProcedureFrontEnd;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The front end in OSGi: a {@link FrontEnd} service whose drivers come from the service registry (the
 * whiteboard of drivers). It also takes two whiteboards through which other bundles reach in with public
 * types only: a {@link DomainEventListener} service with {@code jvirt.events=all} observes every
 * connection's lifecycle events (the EventAdmin bridge), and a {@link DriverInfo} service with a rejected
 * reason lists a driver that could not be used under {@code Connect.listDrivers()}.
 */
@Component(service = {FrontEnd.class, ProcedureFrontEnd.class}, immediate = true)
public class DriverTracker implements FrontEnd, ProcedureFrontEnd {

    /** The service property a global {@link DomainEventListener} carries. */
    public static final String EVENTS_PROPERTY = "jvirt.events";

    private final FrontEndImpl frontEnd = new FrontEndImpl(new DriverRegistry(false));

    @Reference(service = Driver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(Driver driver, Map<String, Object> properties) {
        frontEnd.registry().add(driver, properties, "osgi");
    }

    void unbindDriver(Driver driver) {
        frontEnd.registry().remove(driver);
        frontEnd.driverGone(driver);
    }

    @Reference(service = NetworkDriver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindNetworkDriver(NetworkDriver driver, Map<String, Object> properties) {
        frontEnd.registry().add(driver, properties, "osgi");
    }

    void unbindNetworkDriver(NetworkDriver driver) {
        frontEnd.registry().remove(driver);
    }

    @Reference(service = DomainEventListener.class, target = "(" + EVENTS_PROPERTY + "=all)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindListener(DomainEventListener l) {
        frontEnd.addGlobalEventListener(l);
    }

    void unbindListener(DomainEventListener l) {
        frontEnd.removeGlobalEventListener(l);
    }

    @Reference(service = DriverInfo.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindRejected(DriverInfo info) {
        if (!info.isActive()) {
            frontEnd.registry().reject(info.name(), info.rejectedReason(), info.origin());
        }
    }

    void unbindRejected(DriverInfo info) {
        if (!info.isActive()) {
            frontEnd.registry().clearRejected(info.name());
        }
    }

    @Override
    public Connect open(String uri, ConnectAuth auth, Set<OpenFlag> flags) {
        return frontEnd.open(uri, auth, flags);
    }

    @Override
    public List<DriverInfo> listDrivers() {
        return frontEnd.listDrivers();
    }

    @Override
    public VirtError lastError() {
        return frontEnd.lastError();
    }

    @Override
    public void resetLastError() {
        frontEnd.resetLastError();
    }

    @Override
    public void addGlobalErrorListener(ErrorListener listener) {
        frontEnd.addGlobalErrorListener(listener);
    }

    @Override
    public void removeGlobalErrorListener(ErrorListener listener) {
        frontEnd.removeGlobalErrorListener(listener);
    }

    @Override
    public ProcedureConnection openProcedures(String uri, ConnectAuth auth, boolean readOnly, EventSink events) {
        return frontEnd.openProcedures(uri, auth, readOnly, events);
    }
}
