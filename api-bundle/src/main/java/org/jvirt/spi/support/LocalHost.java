package org.jvirt.spi.support;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;

/** What a driver running on this machine answers about it. */
public final class LocalHost {
    private LocalHost() {
    }

    /**
     * virConnectGetHostname as most libvirt drivers answer it (virGetHostname): this machine's name, from
     * the kernel, else from the resolver; SYSTEM_ERROR when neither knows it.
     */
    public static String hostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new VirtException(ErrorCode.SYSTEM_ERROR, ErrorDomain.NONE,
                    "cannot find the host name: " + e.getMessage());
        }
    }
}
