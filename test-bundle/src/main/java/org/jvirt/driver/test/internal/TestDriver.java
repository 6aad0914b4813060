package org.jvirt.driver.test.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.api.VirtUri;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.OpenContext;
import org.osgi.service.component.annotations.Component;

/**
 * The test driver: a fake host held in memory, as libvirt's {@code test:///default}, or loaded from
 * a host description file ({@code test:///path/to/node.xml}). State for a URI is shared by the
 * process's connections to it and dropped when the last one closes, as in libvirt.
 */
@Component(service = Driver.class, property = {Driver.SCHEME_PROPERTY + "=test", "service.ranking:Integer=0"})
public class TestDriver implements Driver {

    private final Map<String, TestHost> hosts = new HashMap<>();

    @Override
    public String name() {
        return "Test";
    }

    @Override
    public Set<String> schemes() {
        return Set.of("test");
    }

    @Override
    public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
        if (!"test".equals(uri.driver()) || uri.isRemote()) {
            return Optional.empty();
        }
        String path = uri.path();
        if (path.isEmpty() || path.equals("/")) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.TEST,
                    "testOpen: supply a path or use test:///default");
        }
        TestHost host;
        synchronized (hosts) {
            host = hosts.get(path);
            if (host == null) {
                host = path.equals("/default") ? TestHost.createDefault() : TestHost.load(Path.of(path));
                hosts.put(path, host);
            }
            host.retain();
        }
        return Optional.of(new TestConnection(this, host, "test://" + path, context.events()));
    }

    void release(TestHost host, String path) {
        synchronized (hosts) {
            if (host.release()) {
                hosts.remove(path);
            }
        }
    }

    static boolean exists(String file) {
        return Files.exists(Path.of(file));
    }
}
