package org.jvirt.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirt.api.Connect;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.junit.jupiter.api.Test;

/** What open connections see when their driver goes away (a bundle stopped or updated). */
class DriverRemovalTest {

    @Test
    void openConnectionsFailClearlyAndAreReleased() {
        AtomicInteger closes = new AtomicInteger();
        Driver driver = new Driver() {
            @Override
            public String name() {
                return "gone";
            }

            @Override
            public Set<String> schemes() {
                return Set.of("gone");
            }

            @Override
            public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
                return Optional.of(new DriverConnection() {
                    @Override
                    public String connectGetType() {
                        return "GONE";
                    }

                    @Override
                    public String connectGetURI() {
                        return uri.toString();
                    }

                    @Override
                    public void connectClose() {
                        closes.incrementAndGet();
                    }
                });
            }
        };
        FrontEndImpl frontEnd = new FrontEndImpl();
        frontEnd.registry().add(driver, Map.of(Driver.SCHEME_PROPERTY, "gone"), "test");
        Connect c = frontEnd.open("gone:///", null, Set.of());
        assertEquals("GONE", c.getType());

        frontEnd.registry().remove(driver);
        frontEnd.driverGone(driver);

        assertEquals(1, closes.get(), "the driver's connection is released at once");
        VirtException e = assertThrows(VirtException.class, c::getType);
        assertEquals(ErrorCode.INVALID_CONN, e.code());
        assertEquals("invalid connection: the driver for scheme 'gone' was removed; reopen the connection",
                e.getMessage());
        assertFalse(c.isAlive());
        c.close();
        assertEquals(1, closes.get(), "closing later does not close twice");
        VirtException reopen = assertThrows(VirtException.class, () -> frontEnd.open("gone:///", null, Set.of()));
        assertEquals(ErrorCode.NO_CONNECT, reopen.code());
    }
}
