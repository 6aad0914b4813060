package org.jvirt.xml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.Schema;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.Validator;
import com.thaiopensource.validate.auto.AutoSchemaReader;
import com.thaiopensource.xml.sax.Sax2XMLReaderCreator;
import com.thaiopensource.xml.sax.XMLReaderCreator;

/**
 * libvirt's installed RELAX NG schemas ({@code /usr/share/libvirt/schemas}, Debian's libvirt0), checked in
 * process with Jing: what {@code virt-xml-validate} does, without forking xmllint for each document.
 */
final class LibvirtSchemas {
    static final Path DIR = Path.of("/usr/share/libvirt/schemas");
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private LibvirtSchemas() {
    }

    static boolean installed() {
        return Files.isReadable(DIR.resolve("domain.rng"));
    }

    /** The schema errors of a document under {@code NAME.rng}; empty when it is valid. */
    static List<String> validate(String name, String xml) throws IOException, SAXException {
        List<String> errors = new ArrayList<>();
        ErrorHandler collect = new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) {
                errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + ": " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                error(e);
            }
        };
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, collect);
        Validator validator = schema(name).createValidator(props.toPropertyMap());
        XMLReaderCreator readers = new Sax2XMLReaderCreator();
        var reader = readers.createXMLReader();
        reader.setContentHandler(validator.getContentHandler());
        reader.setDTDHandler(validator.getDTDHandler());
        reader.setErrorHandler(collect);
        reader.parse(new InputSource(new StringReader(xml)));
        return errors;
    }

    private static Schema schema(String name) throws IOException, SAXException {
        Schema s = SCHEMAS.get(name);
        if (s == null) {
            try {
                InputSource src = ValidationDriver.fileInputSource(DIR.resolve(name + ".rng").toFile());
                s = new AutoSchemaReader().createSchema(src, new PropertyMapBuilder().toPropertyMap());
            } catch (com.thaiopensource.validate.IncorrectSchemaException e) {
                throw new IOException("libvirt's " + name + ".rng does not compile", e);
            }
            SCHEMAS.put(name, s);
        }
        return s;
    }
}
