package org.jvirt.xml;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.xml.sax.SAXException;

/** The tests' view of {@link LibvirtSchema}: libvirt's installed RELAX NG schemas, checked in process. */
final class LibvirtSchemas {
    static final Path DIR = LibvirtSchema.DIR;

    private LibvirtSchemas() {
    }

    static boolean installed() {
        return LibvirtSchema.installed("domain");
    }

    /** The schema errors of a document under {@code NAME.rng}; empty when it is valid. */
    static List<String> validate(String name, String xml) throws IOException, SAXException {
        return LibvirtSchema.validate(name, xml);
    }
}
