package org.jvirt.driver.test.internal;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.xml.XmlNode;

/**
 * The elements of a domain's {@code <metadata>}, each in a namespace, as libvirt keeps them: set with a
 * prefix (virXMLInjectNamespace), found by namespace URI (virXMLFindChildNodeByNs) and given back without
 * it (virXMLExtractNamespaceXML). Trees are {@link XmlNode}s whose names keep their prefixes and whose
 * namespace declarations are attributes.
 */
final class MetadataElements {
    private static final XMLInputFactory FACTORY = factory();

    private MetadataElements() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        return f;
    }

    /** The user's element, put in namespace {@code uri} with prefix {@code key} where it has no namespace. */
    static XmlNode inNamespace(String xml, String key, String uri) {
        XmlNode root = parse(xml);
        if (!key.matches("[A-Za-z_][A-Za-z0-9._-]*")) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.XML,
                    "failed to validate prefix for a new XML namespace");
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        root.getAttributes().forEach((k, v) -> {
            if (k.equals("xmlns") || k.startsWith("xmlns:")) {
                attrs.put(k, v);
            }
        });
        attrs.put("xmlns:" + key, uri);
        root.getAttributes().forEach(attrs::putIfAbsent);
        root.getAttributes().clear();
        root.getAttributes().putAll(attrs);
        prefix(root, key, false);
        return root;
    }

    /** Gives every element with no namespace (no prefix, no default namespace in scope) the prefix. */
    private static void prefix(XmlNode n, String key, boolean defaultNamespace) {
        boolean inDefault = defaultNamespace || n.getAttributes().containsKey("xmlns");
        if (!n.getName().contains(":") && !inDefault) {
            n.setName(key + ":" + n.getName());
        }
        for (XmlNode c : n.getChildren()) {
            prefix(c, key, inDefault);
        }
    }

    /** The child of {@code metadata} in namespace {@code uri}, or null. */
    static XmlNode find(XmlNode metadata, String uri) {
        for (XmlNode c : metadata.getChildren()) {
            if (uri.equals(namespace(metadata, c))) {
                return c;
            }
        }
        return null;
    }

    /** Removes every child of {@code metadata} in namespace {@code uri}. */
    static void removeAll(XmlNode metadata, String uri) {
        metadata.getChildren().removeIf(c -> uri.equals(namespace(metadata, c)));
    }

    /** The element as libvirt gives it back: without namespace {@code uri}'s prefix and declaration. */
    static String extract(XmlNode metadata, XmlNode element, String uri) {
        String declaration = declarationOf(element, metadata);
        XmlNode copy = element.copy();
        copy.getAttributes().remove(declaration);
        if (declaration.startsWith("xmlns:")) {
            unprefix(copy, declaration.substring(6) + ":");
        }
        // XmlNode quotes with double quotes, as libxml2 does, inside a <metadata>: format in one, then unwrap it
        XmlNode wrapper = new XmlNode("metadata");
        wrapper.add(copy);
        String[] lines = wrapper.toString().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < lines.length - 1; i++) {
            sb.append(lines[i].startsWith("  ") ? lines[i].substring(2) : lines[i]);
            if (i < lines.length - 2) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static void unprefix(XmlNode n, String prefix) {
        if (n.getName().startsWith(prefix)) {
            n.setName(n.getName().substring(prefix.length()));
        }
        for (XmlNode c : n.getChildren()) {
            unprefix(c, prefix);
        }
    }

    /** The namespace URI of a child of {@code metadata}, from its own declarations or its parent's; or null. */
    private static String namespace(XmlNode metadata, XmlNode child) {
        String declaration = declarationOf(child, metadata);
        String uri = child.attr(declaration);
        return uri != null ? uri : metadata.attr(declaration);
    }

    /** The attribute that declares the element's namespace: {@code xmlns:p} for {@code p:name}, else {@code xmlns}. */
    private static String declarationOf(XmlNode element, XmlNode parent) {
        int colon = element.getName().indexOf(':');
        return colon < 0 ? "xmlns" : "xmlns:" + element.getName().substring(0, colon);
    }

    private static XmlNode parse(String xml) {
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new StringReader(xml));
            Deque<XmlNode> open = new ArrayDeque<>();
            XmlNode root = null;
            StringBuilder text = new StringBuilder();
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    XmlNode n = new XmlNode(r.getLocalName());
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        n.attr(r.getAttributeLocalName(i), r.getAttributeValue(i));
                    }
                    if (open.isEmpty()) {
                        root = n;
                    } else {
                        open.peek().add(n);
                    }
                    open.push(n);
                    text.setLength(0);
                } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                    text.append(r.getText());
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    XmlNode n = open.pop();
                    if (n.getChildren().isEmpty() && !text.toString().isBlank()) {
                        n.setText(text.toString());
                    }
                    text.setLength(0);
                }
            }
            if (root == null) {
                throw new XMLStreamException("no element");
            }
            return root;
        } catch (XMLStreamException e) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.XML, "(metadata_xml): " + e.getMessage());
        }
    }
}
