package org.jvirt.remote.internal.interop;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** jvirt's remote driver against Debian's libvirtd serving test:///default. */
class LibvirtdApiTest extends RemoteApiContract {
    @TempDir
    static Path dir;
    private static StockLibvirtd libvirtd;

    @BeforeAll
    static void start() throws Exception {
        libvirtd = StockLibvirtd.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (libvirtd != null) {
            libvirtd.close();
        }
    }

    @Override
    Path socket() {
        return libvirtd.socket();
    }

    @Override
    Path readOnlySocket() {
        return libvirtd.readOnlySocket();
    }
}
