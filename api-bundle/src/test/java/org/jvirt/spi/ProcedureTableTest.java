package org.jvirt.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;

/** The SPI is libvirt's procedure table: every entry is in {@link Procedure}, and no default answers. */
class ProcedureTableTest {

    /** Structural accessors that are not procedures: the network side of a connection. */
    private static final Set<String> NOT_PROCEDURES = Set.of("DriverConnection.networks");

    private static Stream<Method> entries(Class<?> spi) {
        return Stream.of(spi.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic())
                .filter(m -> !NOT_PROCEDURES.contains(spi.getSimpleName() + "." + m.getName()));
    }

    @Test
    void everySpiEntryIsInTheTable() {
        Set<String> table = new HashSet<>();
        for (Procedure p : Procedure.values()) {
            assertNotNull(p.method(), p.name());
            assertTrue(table.add(p.owner().getSimpleName() + "." + p.methodName()), "twice in the table: " + p);
        }
        for (Class<?> spi : List.of(DriverConnection.class, NetworkConnection.class)) {
            entries(spi).forEach(m -> assertTrue(table.contains(spi.getSimpleName() + "." + m.getName()),
                    spi.getSimpleName() + "." + m.getName() + " is not in the procedure table"));
        }
        assertTrue(table.contains("Driver.open"));
    }

    @Test
    void numbersAreLibvirts() {
        assertEquals(1, Procedure.CONNECT_OPEN.number());
        assertEquals(2, Procedure.CONNECT_CLOSE.number());
        assertEquals(273, Procedure.CONNECT_LIST_ALL_DOMAINS.number());
        assertEquals(212, Procedure.DOMAIN_GET_STATE.number());
        assertEquals(316, Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY.number());
        assertEquals(234, Procedure.DOMAIN_DESTROY_FLAGS.number());
        assertEquals("REMOTE_PROC_DOMAIN_DESTROY_FLAGS", Procedure.DOMAIN_DESTROY_FLAGS.procedureName());
        assertSame(Procedure.DOMAIN_LOOKUP_BY_NAME, Procedure.byNumber(23));
        Set<Integer> seen = new HashSet<>();
        for (Procedure p : Procedure.values()) {
            if (p.number() != 0 && p != Procedure.NETWORK_CONNECT_CLOSE) {
                assertTrue(seen.add(p.number()), "number used twice: " + p);
            }
        }
        assertTrue(Procedure.DOMAIN_DESTROY_FLAGS.isMutating());
        assertTrue(!Procedure.DOMAIN_GET_INFO.isMutating());
    }

    /** Each default, called on a driver that implements nothing, refuses with NO_SUPPORT. */
    @TestFactory
    Stream<DynamicTest> noDefaultAnswers() {
        Object bareDomain = bare(DriverConnection.class);
        Object bareNetwork = bare(NetworkConnection.class);
        return Stream.concat(
                entries(DriverConnection.class).filter(Method::isDefault).map(m -> check(bareDomain, m)),
                entries(NetworkConnection.class).filter(Method::isDefault)
                        .filter(m -> !m.getName().equals("connectClose")).map(m -> check(bareNetwork, m)));
    }

    private static DynamicTest check(Object target, Method m) {
        return DynamicTest.dynamicTest(m.getDeclaringClass().getSimpleName() + "." + m.getName(), () -> {
            Object[] args = new Object[m.getParameterCount()];
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                args[i] = types[i] == int.class ? 0 : types[i] == long.class ? 0L
                        : types[i] == boolean.class ? false : null;
            }
            try {
                Object answer = m.invoke(target, args);
                fail(m.getName() + " answered " + answer + " instead of refusing");
            } catch (InvocationTargetException e) {
                VirtException ve = assertInstanceOfVirt(e.getCause(), m);
                assertEquals(ErrorCode.NO_SUPPORT, ve.code(), m.getName());
            }
        });
    }

    private static VirtException assertInstanceOfVirt(Throwable t, Method m) {
        if (t instanceof VirtException ve) {
            return ve;
        }
        throw new AssertionError(m.getName() + " threw " + t, t);
    }

    /** An implementation that overrides nothing: every call runs the interface's default. */
    private static Object bare(Class<?> spi) {
        return Proxy.newProxyInstance(spi.getClassLoader(), new Class<?>[] {spi}, (proxy, method, args) -> {
            if (method.isDefault()) {
                return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals("connectClose")) {
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    @Test
    void unknownFlagBitsAreRefusedAsLibvirtDoes() {
        VirtException e = assertThrows(VirtException.class,
                () -> Procedure.checkFlags(0x40000001, 0x1, "virDomainDestroyFlags"));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
        assertEquals("unsupported flags (0x40000000) in function virDomainDestroyFlags", e.getMessage());
    }
}
