package org.jvirt.driver.test.internal;

import static org.jvirt.spi.Procedure.checkFlags;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.MetadataType;
import org.jvirt.api.ModifyFlag;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventPayload;
import org.jvirt.spi.support.DomainList;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.XmlNode;

/**
 * libvirt 9.0's test driver's metadata: a definition's description, title and {@code <metadata>} elements,
 * read from the live or the persistent definition and set in either or both, each change announced with a
 * metadata-change event.
 */
final class TestDomainMetadata {
    /** VIR_DOMAIN_EVENT_ID_METADATA_CHANGE. */
    static final int METADATA_CHANGE_EVENT = 23;
    private static final int MODIFY_FLAGS = ModifyFlag.LIVE.bit() | ModifyFlag.CONFIG.bit();

    private final TestHost host;

    TestDomainMetadata(TestHost host) {
        this.host = host;
    }

    String get(DomainRef dom, int type, String uri, int flags) {
        checkFlags(flags, MODIFY_FLAGS, ErrorDomain.DOMAIN, "virDomainObjGetMetadata");
        MetadataType t = type(type);
        synchronized (host) {
            TestDomain d = host.domains.get(dom);
            DomainDef def = DomainList.modificationImpact(d, flags).live() ? d.live : d.persistent;
            String value = switch (t) {
                case DESCRIPTION -> def.getDescription();
                case TITLE -> def.getTitle();
                case ELEMENT -> {
                    XmlNode metadata = metadata(def, false);
                    XmlNode element = metadata == null || uri == null ? null : MetadataElements.find(metadata, uri);
                    yield element == null ? null : MetadataElements.extract(metadata, element, uri);
                }
            };
            if (value == null) {
                throw new VirtException(ErrorCode.NO_DOMAIN_METADATA, ErrorDomain.DOMAIN,
                        "Requested metadata element is not present");
            }
            return value;
        }
    }

    void set(DomainRef dom, int type, String metadata, String key, String uri, int flags) {
        checkFlags(flags, MODIFY_FLAGS, ErrorDomain.TEST, "testDomainSetMetadata");
        synchronized (host) {
            TestDomain d = host.domains.get(dom);
            DomainList.Impact impact = DomainList.modificationImpact(d, flags);
            checkFlags(flags, MODIFY_FLAGS, ErrorDomain.DOMAIN, "virDomainObjSetMetadata");
            MetadataType t = type(type);
            List<DomainDef> defs = new ArrayList<>(Arrays.asList(impact.live() ? d.live : null,
                    impact.config() ? d.persistent : null));
            defs.removeIf(java.util.Objects::isNull);
            for (DomainDef def : defs) {
                set(def, t, metadata, key, uri);
            }
            host.events.domainEvent(METADATA_CHANGE_EVENT, d.ref(),
                    new EventPayload.Generic(Arrays.asList(type, uri)));
        }
    }

    private static void set(DomainDef def, MetadataType type, String metadata, String key, String uri) {
        String text = metadata == null || metadata.isEmpty() ? null : metadata;
        switch (type) {
            case DESCRIPTION -> def.setDescription(text);
            case TITLE -> def.setTitle(text);
            case ELEMENT -> {
                XmlNode element = metadata == null ? null : MetadataElements.inNamespace(metadata, key, uri);
                XmlNode root = metadata(def, element != null);
                if (root != null) {
                    MetadataElements.removeAll(root, uri);
                    if (element != null) {
                        root.add(element);
                    }
                }
            }
        }
    }

    /** The definition's {@code <metadata>}, created when asked for and absent. */
    private static XmlNode metadata(DomainDef def, boolean create) {
        for (XmlNode n : def.getExtraElements()) {
            if (n.getName().equals("metadata")) {
                return n;
            }
        }
        if (!create) {
            return null;
        }
        XmlNode n = new XmlNode("metadata");
        def.getExtraElements().add(n);
        return n;
    }

    private static MetadataType type(int type) {
        if (type < 0 || type >= MetadataType.values().length) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.DOMAIN, "unknown metadata type '" + type + "'");
        }
        return MetadataType.values()[type];
    }
}
