package org.jvirt.driver.xen.internal.libxl;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code xl list -v}: what libxl's {@code libxl_list_domain} reports of a domain the hypervisor
 * runs (its name comes from xenstore, {@code (null)} when xenstore has none). Memory is what xl prints, in
 * MiB; the CPU time has xl's 0.1 s resolution.
 *
 * @param state xl's six state letters ({@code r b p s c d}, '-' where a flag is off)
 */
public record XlDomain(String name, int id, long memKiB, int vcpus, String state, long cpuTimeNs, UUID uuid) {

    public boolean paused() {
        return state.indexOf('p') >= 0;
    }

    public boolean shutdown() {
        return state.indexOf('s') >= 0;
    }

    public boolean crashed() {
        return state.indexOf('c') >= 0;
    }

    public boolean dying() {
        return state.indexOf('d') >= 0;
    }

    /**
     * Parses {@code xl list -v}: a header, then
     * {@code NAME ID MEM VCPUS STATE TIME UUID REASON LABEL}; the name is everything before the last eight
     * columns.
     */
    public static List<XlDomain> parseList(String out) {
        List<XlDomain> list = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 9 || line.startsWith("Name ")) {
                continue;
            }
            int n = f.length;
            String name = String.join(" ", java.util.Arrays.copyOfRange(f, 0, n - 8));
            try {
                long cpuNs = Math.round(Double.parseDouble(f[n - 4]) * 1e9);
                list.add(new XlDomain(name, Integer.parseInt(f[n - 8]), Long.parseLong(f[n - 7]) * 1024,
                        Integer.parseInt(f[n - 6]), f[n - 5], cpuNs, UUID.fromString(f[n - 3])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot read xl list's line '" + line + "'", e);
            }
        }
        return list;
    }
}
