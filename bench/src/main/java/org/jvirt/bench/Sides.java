package org.jvirt.bench;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.api.Connect;
import org.libvirt.LibvirtException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The two sides every benchmark compares, set up the same way: one connection to
 * {@code test:///default} opened per trial, and the canned domain "test" checked to be there.
 * jvirt runs in process (test driver found by ServiceLoader); libvirt-java calls libvirt's own
 * test driver in process through JNA (libvirt0 from Debian).
 */
public final class Sides {

    public static final String URI = "test:///default";

    private Sides() {
    }

    /** A small inactive domain that both test drivers accept. */
    public static String smallDomainXml(String name) {
        return "<domain type='test'><name>" + name + "</name>"
                + "<memory unit='KiB'>8192</memory><currentMemory unit='KiB'>8192</currentMemory>"
                + "<vcpu>1</vcpu><os><type>hvm</type></os></domain>";
    }

    @State(Scope.Benchmark)
    public static class Jvirt {
        public Connect conn;

        @Setup(Level.Trial)
        public void open() {
            conn = Connect.open(URI);
            if (conn.lookupByName("test").getID() != 1) {
                throw new IllegalStateException("jvirt test:///default has no running domain 'test'");
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            conn.close();
        }
    }

    @State(Scope.Benchmark)
    public static class LibvirtJava {
        public org.libvirt.Connect conn;

        @Setup(Level.Trial)
        public void open() throws LibvirtException {
            conn = new org.libvirt.Connect(URI);
            org.libvirt.Domain d = conn.domainLookupByName("test");
            int id = d.getID();
            d.free();
            if (id != 1) {
                throw new IllegalStateException("libvirt test:///default has no running domain 'test'");
            }
        }

        @TearDown(Level.Trial)
        public void close() throws LibvirtException {
            conn.close();
        }
    }

    /** Names of the extra domains the listAll benchmark defines. */
    public static List<String> manyNames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(String.format("bench-%05d", i));
        }
        return names;
    }
}
