package org.jvirt.remote.internal.interop;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** jvirt's remote driver against jvirt's server with the test driver: the same suite as against libvirtd. */
class JvirtdApiTest extends RemoteApiContract {
    @TempDir
    static Path dir;
    private static JvirtdTestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = new JvirtdTestNode(dir);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Override
    Path socket() {
        return node.socket();
    }

    @Override
    Path readOnlySocket() {
        return node.readOnlySocket();
    }
}
