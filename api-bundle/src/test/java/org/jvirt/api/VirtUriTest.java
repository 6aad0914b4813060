package org.jvirt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** URI parsing, driven by resources/uri/parse.txt. */
class VirtUriTest {

    static Stream<String> cases() throws IOException {
        try (InputStream in = VirtUriTest.class.getResourceAsStream("/uri/parse.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void parses(String line) {
        String[] f = line.split("\\|", -1);
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].trim();
        }
        VirtUri u = VirtUri.parse(f[0]);
        assertEquals(f[1], u.driver());
        assertEquals(orNull(f[2]), u.transport());
        assertEquals(orNull(f[3]), u.user());
        assertEquals(orNull(f[4]), u.host());
        assertEquals(Integer.parseInt(f[5]), u.port());
        assertEquals(f[6], u.path());
        assertEquals(f[7], u.params().toString());
        assertEquals(f[0], u.toString());
        assertEquals(u.host() != null || u.transport() != null, u.isRemote());
    }

    private static String orNull(String s) {
        return s.equals("-") ? null : s;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "default", ":///x", "qemu://host:port/", "qemu://h:70000/", "q e://x/",
        "+tls://h/", "qemu+://h/", "qemu://[::1/x", "test:///a?x=%zz"})
    void rejects(String bad) {
        VirtException e = assertThrows(VirtException.class, () -> VirtUri.parse(bad));
        assertEquals(ErrorCode.INVALID_ARG, e.code());
    }
}
