package org.jvirt.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.ErrorLevel;
import org.jvirt.api.VirtError;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.jvirt.spi.Procedure;

/** The front end keeps its state in instances: no class holds mutable static state; numbers survive. */
class FrontEndStateTest {

    /** Static field types that cannot change once made. */
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Integer.class, Long.class, Boolean.class,
            Pattern.class, Class.class);

    @Test
    void noFrontEndClassHoldsMutableStaticState() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (Class<?> c : frontEndClasses()) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isStatic(mod) || f.isSynthetic() || f.isEnumConstant()) {
                    continue;
                }
                if (!Modifier.isFinal(mod)) {
                    offenders.add(c.getName() + "." + f.getName() + " is not final");
                    continue;
                }
                if (!immutable(f)) {
                    offenders.add(c.getName() + "." + f.getName() + " is a " + f.getType().getName());
                }
            }
        }
        assertTrue(offenders.isEmpty(), String.join("\n", offenders));
    }

    /** Primitives, immutable values, enums, and stateless objects (no instance fields, e.g. a comparator). */
    private static boolean immutable(Field f) throws IllegalAccessException {
        Class<?> t = f.getType();
        if (t.isPrimitive() || IMMUTABLE.contains(t) || t.isEnum()) {
            return true;
        }
        f.setAccessible(true);
        Object value = f.get(null);
        if (value == null || value.getClass().getName().startsWith("java.util.ImmutableCollections")) {
            return true; // Set.of, List.of, Map.of of immutable values
        }
        for (Class<?> k = value.getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field inner : k.getDeclaredFields()) {
                if (!Modifier.isStatic(inner.getModifiers())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<Class<?>> frontEndClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(FrontEndImpl.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("org/jvirt/core/internal");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = p.getFileName().toString();
                out.add(Class.forName("org.jvirt.core.internal." + name.substring(0, name.length() - 6)));
            }
        }
        assertTrue(out.contains(ConnectImpl.class), "the main classes were scanned");
        return out;
    }

    @Test
    void frontEndsAreIndependent() {
        FrontEndImpl a = new FrontEndImpl();
        FrontEndImpl b = new FrontEndImpl();
        a.registry().add(new FlagDriver(), Map.of(Driver.SCHEME_PROPERTY, "flagged"), "test");
        try (Connect c = a.open("flagged:///", null, Set.of())) {
            assertEquals("Flagged", c.getType());
        }
        VirtException e = assertThrows(VirtException.class, () -> b.open("flagged:///", null, Set.of()));
        assertEquals(ErrorCode.NO_CONNECT, e.code());
        assertSame(e.error(), b.lastError());
        assertNull(a.lastError());
    }

    @Test
    void unknownFlagBitsReachTheDriverAndAreRefused() {
        FrontEndImpl fe = new FrontEndImpl();
        FlagDriver driver = new FlagDriver();
        fe.registry().add(driver, Map.of(Driver.SCHEME_PROPERTY, "flagged"), "test");
        try (Connect c = fe.open("flagged:///", null, Set.of())) {
            Domain d = c.lookupByName("d");
            VirtException e = assertThrows(VirtException.class, () -> d.destroy(1 << 30));
            assertEquals(ErrorCode.INVALID_ARG, e.code());
            assertEquals("unsupported flags (0x40000000) in function virDomainDestroyFlags", e.getMessage());
            assertEquals(1 << 30, driver.lastFlags.get(), "the driver saw the bit");
            d.destroy(1);
            assertEquals(1, driver.lastFlags.get());
        }
    }

    @Test
    void unknownErrorNumbersSurvive() {
        VirtError raw = new VirtError(4242, 977, ErrorLevel.ERROR, "from a newer libvirt", null, null, null, 0, 0,
                null, null);
        assertEquals(ErrorCode.UNKNOWN, raw.code());
        assertEquals(ErrorDomain.UNKNOWN, raw.domain());
        VirtException thrown = new VirtException(raw);
        assertEquals(4242, thrown.error().codeNumber());
        assertEquals(977, thrown.error().domainNumber());
        assertEquals(4242, thrown.error().withDomainName("d").codeNumber());

        FrontEndImpl fe = new FrontEndImpl();
        FlagDriver driver = new FlagDriver();
        driver.failWith = raw;
        fe.registry().add(driver, Map.of(Driver.SCHEME_PROPERTY, "flagged"), "test");
        try (Connect c = fe.open("flagged:///", null, Set.of())) {
            VirtException e = assertThrows(VirtException.class, c::getHostname);
            assertEquals(4242, e.error().codeNumber());
            assertEquals(977, e.error().domainNumber());
            assertEquals("from a newer libvirt", e.getMessage());
            assertNotNull(c.getLastError());
            assertEquals(4242, c.getLastError().codeNumber());
        }
    }

    /** A driver with one domain, whose destroy knows one flag bit. */
    static final class FlagDriver implements Driver {
        final AtomicInteger lastFlags = new AtomicInteger(-1);
        volatile VirtError failWith;

        @Override
        public String name() {
            return "Flagged";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("flagged");
        }

        @Override
        public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
            DomainRef dom = new DomainRef("d", new java.util.UUID(1, 2), 1);
            return Optional.of(new DriverConnection() {
                @Override
                public String connectGetType() {
                    return "Flagged";
                }

                @Override
                public String connectGetHostname() {
                    throw new VirtException(failWith);
                }

                @Override
                public DomainRef domainLookupByName(String name) {
                    return dom;
                }

                @Override
                public void domainDestroyFlags(DomainRef d, int flags) {
                    lastFlags.set(flags);
                    Procedure.checkFlags(flags, 1, "virDomainDestroyFlags");
                }

                @Override
                public void connectClose() {
                }
            });
        }
    }
}
