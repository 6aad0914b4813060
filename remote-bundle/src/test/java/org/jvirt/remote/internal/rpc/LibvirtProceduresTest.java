package org.jvirt.remote.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.jvirt.api.ErrorDomain;
import org.jvirt.spi.Procedure;

/** The data file of libvirt 9.0's procedures agrees with jvirt's table and, where present, with libvirt's own. */
class LibvirtProceduresTest {

    /** Table entries whose SPI name is not libvirt's API name (the callback variants of the event calls). */
    private static final Map<Procedure, String> API_NAME_DIFFERS = Map.of(
            Procedure.CONNECT_OPEN, "virConnectOpen",
            Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, "virConnectDomainEventRegisterAny",
            Procedure.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, "virConnectDomainEventDeregisterAny");

    @Test
    void all443ProceduresOfLibvirt9() {
        assertEquals(443, LibvirtProcedures.all().size());
        assertEquals(1, LibvirtProcedures.all().iterator().next().number());
        assertNull(LibvirtProcedures.byNumber(0));
        assertNull(LibvirtProcedures.byNumber(444));
        LibvirtProcedures.Entry sysinfo = LibvirtProcedures.byNumber(203);
        assertEquals("CONNECT_GET_SYSINFO", sysinfo.name());
        assertEquals("virConnectGetSysinfo", sysinfo.api());
        assertEquals(ErrorDomain.DOMAIN, sysinfo.errorDomain());
        assertEquals(ErrorDomain.STORAGE, LibvirtProcedures.byNumber(80).errorDomain()); // virStoragePoolDestroy
        assertEquals(ErrorDomain.NODEDEV, LibvirtProcedures.byNumber(301).errorDomain()); // virNodeDeviceDetachFlags
        assertEquals(ErrorDomain.DOMAIN_SNAPSHOT, LibvirtProcedures.byNumber(185).errorDomain());
        assertTrue(!LibvirtProcedures.byNumber(107).isApiCall(), "an event is no call");
    }

    @Test
    void everyTableEntryIsLibvirtsProcedureOfItsNumber() {
        for (Procedure p : Procedure.values()) {
            if (p.number() == 0) {
                continue;
            }
            LibvirtProcedures.Entry e = LibvirtProcedures.byNumber(p.number());
            assertNotNull(e, p.name());
            assertEquals(p.procedureName(), "REMOTE_PROC_" + e.name(), p.name());
            assertEquals(API_NAME_DIFFERS.getOrDefault(p, p.apiName()), e.api(), p.name());
            if (e.readOnly() != LibvirtProcedures.ReadOnlyRule.DEPENDS) {
                assertEquals(p.isMutating(), e.readOnly() == LibvirtProcedures.ReadOnlyRule.REFUSED,
                        p.name() + ": the table's read-only refusal is not libvirt's");
            }
        }
    }

    /** The refusal of an API a driver lacks comes from the API's error domain, as libvirt's does. */
    @Test
    void everyApisErrorDomainIsTheOneLibvirtReportsItsErrorsFrom() {
        for (LibvirtProcedures.Entry e : LibvirtProcedures.all()) {
            if (e.isApiCall()) {
                assertEquals(e.errorDomain(), ErrorDomain.ofApi(e.api()), e.api());
                assertEquals(e.errorDomain(), org.jvirt.api.VirtException.noSupport(e.api()).domain(), e.api());
            }
        }
    }

    @Test
    void everyOldProcedureIsLibvirtsOfItsNumber() {
        for (LibvirtProcedures.Entry e : LibvirtProcedures.all()) {
            LegacyProcedures.Legacy old = LegacyProcedures.byNumber(e.number());
            if (old != null) {
                assertEquals(e.api(), old.api(), "procedure " + e.number());
            }
        }
    }

    /**
     * With libvirt's sources at hand (LIBVIRT_SRC, /tmp/src/libvirt, or the unpacked Debian source that
     * test-bundle's LibvirtCorpusTest fetches into ~/.cache/jvirt/libvirt-source under CI), the numbers and
     * names are theirs. Under CI=true the sources must be there.
     */
    @Test
    void numbersAndNamesAreRemoteProtocolXs() throws IOException {
        Path x = remoteProtocolX();
        if (x == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("libvirt's sources (remote_protocol.x) are missing, and CI=true requires them");
        }
        Assumptions.assumeTrue(x != null, "no libvirt sources");
        Map<Integer, String> theirs = new TreeMap<>();
        Matcher m = Pattern.compile("REMOTE_PROC_([A-Z0-9_]+) = (\\d+)").matcher(Files.readString(x));
        while (m.find()) {
            theirs.put(Integer.parseInt(m.group(2)), m.group(1));
        }
        Map<Integer, String> ours = new TreeMap<>();
        LibvirtProcedures.all().forEach(e -> ours.put(e.number(), e.name()));
        assertEquals(theirs, ours);
    }

    private static Path remoteProtocolX() throws IOException {
        List<Path> roots = new java.util.ArrayList<>();
        roots.add(Path.of(System.getenv().getOrDefault("LIBVIRT_SRC", "/tmp/src/libvirt")));
        Path cache = Path.of(System.getProperty("user.home"), ".cache/jvirt/libvirt-source");
        if (Files.isDirectory(cache)) {
            try (java.util.stream.Stream<Path> s = Files.list(cache)) {
                s.filter(Files::isDirectory).sorted().forEach(roots::add);
            }
        }
        for (Path root : roots) {
            Path x = root.resolve("src/remote/remote_protocol.x");
            if (Files.isReadable(x)) {
                return x;
            }
        }
        return null;
    }
}
