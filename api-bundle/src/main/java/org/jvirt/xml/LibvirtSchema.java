package org.jvirt.xml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

import com.thaiopensource.datatype.xsd.DatatypeLibraryFactoryImpl;
import com.thaiopensource.datatype.xsd.regex.java.RegexEngineImpl;
import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.IncorrectSchemaException;
import com.thaiopensource.validate.Schema;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.Validator;
import com.thaiopensource.validate.prop.rng.RngProperty;
import com.thaiopensource.validate.rng.SAXSchemaReader;

/**
 * libvirt's RELAX NG schemas as installed ({@code /usr/share/libvirt/schemas}, Debian's libvirt0), checked in
 * process with Jing: what libvirt does for {@code VIR_DOMAIN_DEFINE_VALIDATE} with libxml2, and what
 * {@code virt-xml-validate} does with xmllint. Jing is wired by hand (no service lookup), so it works embedded
 * in the bundle. Its reports are rewritten in libxml2's words for the common cases (an element or attribute
 * the schema does not know), so that the error reads as libvirt's.
 */
public final class LibvirtSchema {
    /** Where Debian installs libvirt's schemas; the system property {@code jvirt.schemas} overrides it. */
    public static final Path DIR = Path.of(System.getProperty("jvirt.schemas", "/usr/share/libvirt/schemas"));

    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final Pattern NOT_ALLOWED = Pattern.compile("^element \"([^\"]+)\" not allowed");
    private static final Pattern BAD_ATTRIBUTE = Pattern.compile(
            "^(?:attribute \"([^\"]+)\" not allowed|found attribute \"([^\"]+)\", but no attributes allowed)");

    private LibvirtSchema() {
    }

    /** Whether the named schema ({@code domain}, {@code network}, ...) is installed and readable. */
    public static boolean installed(String name) {
        return Files.isReadable(DIR.resolve(name + ".rng"));
    }

    /**
     * Validates a document under {@code NAME.rng} and refuses it as libvirt does: XML_INVALID_SCHEMA with
     * "XML document failed to validate against schema: Unable to validate doc against FILE" and libxml2's
     * reasons. Without the schemas it refuses with NO_SUPPORT, saying so.
     */
    public static void check(String name, String xml) {
        List<String> errors;
        try {
            errors = validate(name, xml);
        } catch (IOException | SAXException | RuntimeException | LinkageError e) {
            throw new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.XML,
                    "schema validation is not available: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            // the code's own text, "XML document failed to validate against schema: ", comes first
            throw new VirtException(ErrorCode.XML_INVALID_SCHEMA, ErrorDomain.XML,
                    "Unable to validate doc against " + DIR.resolve(name + ".rng") + "\n" + String.join("\n", errors) + "\n");
        }
    }

    /**
     * The schema errors of a document under {@code NAME.rng}, in libxml2's words where we know them; empty
     * when it is valid.
     *
     * @throws IOException when the schema is missing or does not compile
     * @throws SAXException when the document is not well-formed XML
     */
    public static List<String> validate(String name, String xml) throws IOException, SAXException {
        if (!installed(name)) {
            throw new IOException("libvirt's schema " + DIR.resolve(name + ".rng") + " is not installed"
                    + " (Debian package libvirt0)");
        }
        Schema schema = schema(name);
        List<String> errors = new ArrayList<>();
        Tracker tracker = new Tracker(errors);
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, tracker);
        Validator validator = schema.createValidator(props.toPropertyMap());
        tracker.target = validator.getContentHandler();
        XMLReader reader = newReader();
        reader.setContentHandler(tracker);
        reader.setDTDHandler(validator.getDTDHandler());
        reader.setErrorHandler(tracker);
        reader.parse(new InputSource(new StringReader(xml)));
        return errors;
    }

    private static XMLReader newReader() throws SAXException {
        try {
            SAXParserFactory f = SAXParserFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            return f.newSAXParser().getXMLReader();
        } catch (ParserConfigurationException e) {
            throw new SAXException(e);
        }
    }

    private static Schema schema(String name) throws IOException, SAXException {
        Schema s = SCHEMAS.get(name);
        if (s == null) {
            PropertyMapBuilder props = new PropertyMapBuilder();
            props.put(RngProperty.DATATYPE_LIBRARY_FACTORY, new DatatypeLibraryFactoryImpl(new RegexEngineImpl()));
            try {
                InputSource src = ValidationDriver.fileInputSource(DIR.resolve(name + ".rng").toFile());
                s = SAXSchemaReader.getInstance().createSchema(src, props.toPropertyMap());
            } catch (IncorrectSchemaException e) {
                throw new IOException("libvirt's " + name + ".rng does not compile", e);
            }
            SCHEMAS.put(name, s);
        }
        return s;
    }

    /**
     * Passes the document on to Jing while keeping the path of open elements, so that an error can name
     * the element it is about as libxml2 does.
     */
    private static final class Tracker implements ContentHandler, ErrorHandler {
        final List<String> errors;
        final Deque<String> open = new ArrayDeque<>();
        ContentHandler target;
        String starting;

        Tracker(List<String> errors) {
            this.errors = errors;
        }

        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) {
            if (errors.isEmpty()) { // libvirt reports the first failure
                errors.addAll(libxml2(e.getMessage()));
            }
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }

        /** Jing's report in libxml2's words, where the two correspond. */
        private List<String> libxml2(String msg) {
            String m = msg == null ? "" : msg;
            Matcher el = NOT_ALLOWED.matcher(m);
            if (el.find() && !open.isEmpty()) {
                List<String> out = new ArrayList<>(3);
                out.add("Element " + open.peek() + " has extra content: " + el.group(1));
                if (open.size() > 1) {
                    String[] path = open.toArray(new String[0]); // innermost first
                    out.add("Extra element " + path[path.length - 2] + " in interleave");
                    out.add("Element " + path[path.length - 1] + " failed to validate content");
                }
                return out;
            }
            Matcher at = BAD_ATTRIBUTE.matcher(m);
            if (at.find() && starting != null) {
                return List.of("Invalid attribute " + (at.group(1) != null ? at.group(1) : at.group(2))
                        + " for element " + starting);
            }
            return List.of(m);
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            target.setDocumentLocator(locator);
        }

        @Override
        public void startDocument() throws SAXException {
            target.startDocument();
        }

        @Override
        public void endDocument() throws SAXException {
            target.endDocument();
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) throws SAXException {
            target.startPrefixMapping(prefix, uri);
        }

        @Override
        public void endPrefixMapping(String prefix) throws SAXException {
            target.endPrefixMapping(prefix);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            starting = localName == null || localName.isEmpty() ? qName : localName;
            target.startElement(uri, localName, qName, atts);
            open.push(starting);
            starting = null;
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            target.endElement(uri, localName, qName);
            open.pop();
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            target.characters(ch, start, length);
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            target.ignorableWhitespace(ch, start, length);
        }

        @Override
        public void processingInstruction(String t, String data) throws SAXException {
            target.processingInstruction(t, data);
        }

        @Override
        public void skippedEntity(String n) throws SAXException {
            target.skippedEntity(n);
        }
    }
}
