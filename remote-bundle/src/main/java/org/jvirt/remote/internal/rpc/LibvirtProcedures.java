package org.jvirt.remote.internal.rpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/**
 * Every procedure of libvirt 9.0's REMOTE program, from the resource {@code libvirt-procedures.tsv}: its
 * number, name, the public API libvirtd calls for it, that API's error domain and read-only rule. The daemon
 * answers a procedure that libvirt knows and jvirt's table lacks as libvirtd answers one its driver lacks.
 */
public final class LibvirtProcedures {

    /** Whether libvirt's API refuses a read-only connection. */
    public enum ReadOnlyRule {
        /** always refused on a read-only connection */
        REFUSED,
        /** never refused */
        ALLOWED,
        /** refused for some arguments only (e.g. a flag asking the guest agent) */
        DEPENDS
    }

    /**
     * One procedure.
     *
     * @param number      libvirt's procedure number
     * @param name        the procedure's name without {@code REMOTE_PROC_}, e.g. {@code DOMAIN_GET_SYSINFO}
     * @param api         libvirt's API function the daemon calls, or null for an event or an authentication step
     * @param errorDomain where that API's errors come from (libvirt's VIR_FROM_THIS for it)
     * @param readOnly    the API's read-only rule
     */
    public record Entry(int number, String name, String api, ErrorDomain errorDomain, ReadOnlyRule readOnly) {

        /** Whether a client can call it (an event or authentication step is not an API call). */
        public boolean isApiCall() {
            return api != null;
        }

        /** libvirt's refusal when the connection's driver lacks the API. */
        public VirtException noSupport() {
            return new VirtException(ErrorCode.NO_SUPPORT, errorDomain, api);
        }

        /** libvirt's refusal of the API on a read-only connection. */
        public VirtException readOnlyRefusal() {
            return new VirtException(ErrorCode.OPERATION_DENIED, errorDomain, "read only access prevents " + api);
        }
    }

    private static final String RESOURCE = "libvirt-procedures.tsv";
    private static final Map<Integer, Entry> BY_NUMBER = load();

    private LibvirtProcedures() {
    }

    /** The procedure of a number, or null when libvirt 9.0 has none. */
    public static Entry byNumber(int number) {
        return BY_NUMBER.get(number);
    }

    /** All of them, by number. */
    public static Collection<Entry> all() {
        return BY_NUMBER.values();
    }

    private static Map<Integer, Entry> load() {
        Map<Integer, Entry> out = new TreeMap<>();
        try (InputStream in = LibvirtProcedures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Entry e = parse(line);
                if (out.put(e.number(), e) != null) {
                    throw new IllegalStateException(RESOURCE + ": number " + e.number() + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Entry parse(String line) {
        String[] f = line.split("\t");
        if (f.length != 5) {
            throw new IllegalStateException(RESOURCE + ": not 5 fields: " + line);
        }
        int number = Integer.parseInt(f[0]);
        if (f[2].equals("-")) {
            return new Entry(number, f[1], null, ErrorDomain.NONE, ReadOnlyRule.ALLOWED);
        }
        ReadOnlyRule rule = switch (f[4]) {
            case "readonly" -> ReadOnlyRule.REFUSED;
            case "any" -> ReadOnlyRule.ALLOWED;
            case "depends" -> ReadOnlyRule.DEPENDS;
            default -> throw new IllegalStateException(RESOURCE + ": read-only rule " + f[4]);
        };
        return new Entry(number, f[1], f[2], ErrorDomain.valueOf(f[3]), rule);
    }
}
