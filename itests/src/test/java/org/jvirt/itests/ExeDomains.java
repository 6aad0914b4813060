package org.jvirt.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Domain XML for the exe driver, and ways to find its processes on the host. */
final class ExeDomains {
    private ExeDomains() {
    }

    /** A domain running the init with the arguments. */
    static String xml(String name, String init, String... args) {
        StringBuilder sb = new StringBuilder("<domain type='lxc'>\n  <name>").append(name).append("</name>\n")
                .append("  <memory unit='KiB'>65536</memory>\n  <os>\n    <type>exe</type>\n    <init>")
                .append(init).append("</init>\n");
        for (String a : args) {
            sb.append("    <initarg>").append(a.replace("&", "&amp;").replace("<", "&lt;")).append("</initarg>\n");
        }
        return sb.append("  </os>\n</domain>\n").toString();
    }

    /** A sleep argument no other process on the host has: its process can be found by it. */
    static String uniqueSleep() {
        return "3600." + (100000 + ThreadLocalRandom.current().nextInt(900000));
    }

    /** The live process whose arguments include the token. */
    static Optional<ProcessHandle> process(String token) {
        return ProcessHandle.allProcesses().filter(p -> p.info().arguments()
                .map(a -> Arrays.asList(a).contains(token)).orElse(false)).findFirst();
    }

    /** The process state letter from /proc/PID/stat (R, S, T, Z...), or '?' when gone. */
    static char procState(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.charAt(s.lastIndexOf(')') + 2);
        } catch (Exception e) {
            return '?';
        }
    }
}
