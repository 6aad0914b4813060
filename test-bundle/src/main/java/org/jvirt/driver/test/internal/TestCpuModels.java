package org.jvirt.driver.test.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * The CPU models libvirt 9.0's CPU drivers know, by architecture (the resource {@code cpu-models.txt}), as
 * libvirt's test driver answers virConnectGetCPUModelNames from them.
 */
final class TestCpuModels {
    private static final String RESOURCE = "cpu-models.txt";
    private static final TestCpuModels INSTANCE = load();

    private final Set<String> architectures;
    private final Map<String, List<String>> byArch;

    private TestCpuModels(Set<String> architectures, Map<String, List<String>> byArch) {
        this.architectures = architectures;
        this.byArch = byArch;
    }

    static TestCpuModels get() {
        return INSTANCE;
    }

    /**
     * The models of an architecture, empty when its CPU driver takes any model; INVALID_ARG for a name libvirt
     * does not know, NO_SUPPORT (from the CPU driver) for an architecture no CPU driver handles.
     */
    List<String> models(String arch) {
        if (!architectures.contains(arch)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST, "cannot find architecture " + arch);
        }
        List<String> models = byArch.get(arch);
        if (models == null) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.CPU,
                    "'" + arch + "' architecture is not supported by CPU driver");
        }
        return models;
    }

    private static TestCpuModels load() {
        Set<String> architectures = new HashSet<>();
        Map<String, List<String>> byArch = new HashMap<>();
        try (InputStream in = TestCpuModels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String[] head = line.substring(0, colon).trim().split(" +");
                List<String> values = words(line.substring(colon + 1));
                if (head[0].equals("architectures")) {
                    architectures.addAll(values);
                } else if (head[0].equals("driver")) {
                    for (String arch : Arrays.asList(head).subList(2, head.length)) {
                        byArch.put(arch, values);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestCpuModels(Set.copyOf(architectures), Map.copyOf(byArch));
    }

    private static List<String> words(String text) {
        String t = text.trim();
        return t.isEmpty() ? List.of() : List.of(t.split(" +"));
    }
}
