package org.jvirt.core.internal;

import java.util.Map;

import org.jvirt.spi.Driver;
import org.jvirt.spi.NetworkDriver;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Feeds the {@link DriverRegistry} from the OSGi service registry (the whiteboard of drivers). */
@Component(immediate = true)
public class DriverTracker {

    private final DriverRegistry registry = DriverRegistry.get();

    @Reference(service = Driver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindDriver(Driver driver, Map<String, Object> properties) {
        registry.enterOsgi();
        registry.add(driver, properties, "osgi");
    }

    void unbindDriver(Driver driver) {
        registry.remove(driver);
        Connections.driverGone(driver);
    }

    @Reference(service = NetworkDriver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindNetworkDriver(NetworkDriver driver, Map<String, Object> properties) {
        registry.enterOsgi();
        registry.add(driver, properties, "osgi");
    }

    void unbindNetworkDriver(NetworkDriver driver) {
        registry.remove(driver);
    }

    @org.osgi.service.component.annotations.Activate
    void activate() {
        registry.enterOsgi();
    }
}
