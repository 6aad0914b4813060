package org.jvirt.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.jvirt.api.VirtUri;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.OpenContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's ConfigAdmin settings (PID org.jvirt.driver.qemu), as jvirtd's etc/org.jvirt.driver.qemu.cfg gives them. */
class QemuDriverConfigTest {

    @Test
    void systemPrefixMovesTheSystemRootsAndDefaultUriIsConfigurable(@TempDir Path dir) throws Exception {
        QemuTestSupport.requireQemu();
        QemuDriver driver = new QemuDriver();
        // as inside jvirtd, which owns qemu:///system
        driver.configure(Map.of("system.prefix", dir.toString(), "defaultUri", "none", "daemon", "true"));
        assertEquals(Optional.empty(), driver.defaultUri());
        try {
            Optional<DriverConnection> c = driver.open(VirtUri.parse("qemu:///system"),
                    new OpenContext(false, null, EventSink.NONE));
            assertTrue(c.isPresent());
            assertEquals("qemu:///system", c.get().connectGetURI());
            String xml = QemuTestSupport.noDiskXml("configured", "");
            c.get().domainDefineXMLFlags(xml, 0);
            assertTrue(Files.isRegularFile(dir.resolve("etc/jvirt/qemu/configured.xml")),
                    "the persistent XML is under the configured prefix");
            c.get().connectClose();
        } finally {
            driver.deactivate();
        }
        driver.configure(Map.of("defaultUri", "qemu:///session"));
        assertEquals(Optional.of("qemu:///session"), driver.defaultUri());
        driver.configure(Map.of());
        assertEquals(Optional.of("qemu:///system"), driver.defaultUri(), "qemu-system is installed here");
        assertThrows(IllegalArgumentException.class, () -> driver.configure(Map.of("system.prefix", "relative/dir")));
    }
}
