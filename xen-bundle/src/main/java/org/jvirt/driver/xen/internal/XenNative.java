package org.jvirt.driver.xen.internal;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.xen.internal.xl.XlConfig;
import org.jvirt.driver.xen.internal.xl.XlConverter;
import org.jvirt.xml.DiskDef;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * virConnectDomainXMLFromNative and ToNative of the Xen driver: the native formats {@code xen-xl}
 * (xl.cfg) and {@code xen-xm} (libvirt's older xm format; {@code xen-sxpr} is refused as libvirt does).
 * A config becomes a model, which then goes through the same parse pipeline (the driver's post-parse, generic defaults, validation) as defined XML, so both give the same XML.
 */
public final class XenNative {
    public static final String XEN_XL = "xen-xl";
    public static final String XEN_XM = "xen-xm";
    public static final String XEN_SXPR = "xen-sxpr";

    private XenNative() {
    }

    public static String fromNative(String format, String config, XenXmlHooks hooks) {
        if (XEN_SXPR.equals(format)) {
            throw new VirtException(ErrorCode.OPERATION_UNSUPPORTED, ErrorDomain.LIBXL,
                    "conversion from 'xen-sxpr' format is no longer supported");
        }
        requireKnown(format);
        XlConfig conf = XlConfig.parse(config);
        DomainDef def = XEN_XM.equals(format) ? XlConverter.fromXm(conf) : XlConverter.fromXl(conf);
        return normalise(def, hooks);
    }

    public static String toNative(String format, String xml, XenXmlHooks hooks) {
        DomainDef def = DomainXml.parse(xml, hooks);
        requireKnown(format);
        return (XEN_XM.equals(format) ? XlConverter.toXm(def) : XlConverter.toXl(def)).format();
    }

    /**
     * The XML of a model after the driver's parse pipeline. What only libvirt's XML reader does is undone:
     * libvirt converts a config to its model directly, so a disk without a source keeps the type the
     * config gave it (the XML reader would make it a file).
     */
    static String normalise(DomainDef def, XenXmlHooks hooks) {
        String first = DomainXml.format(def, DomainXml.Format.INACTIVE);
        DomainDef parsed = DomainXml.parse(first, hooks);
        java.util.Map<String, String> sourcelessTypes = new java.util.HashMap<>();
        for (DiskDef d : def.getDisks()) {
            if (d.getSourcePath() == null && d.getSourceNode() == null && d.getType() != null) {
                sourcelessTypes.put(d.getTargetDev(), d.getType());
            }
        }
        for (DiskDef d : parsed.getDisks()) {
            String type = sourcelessTypes.get(d.getTargetDev());
            if (d.getSourcePath() == null && d.getSourceNode() == null && type != null) {
                d.setType(type);
            }
        }
        return DomainXml.format(parsed, DomainXml.Format.INACTIVE);
    }

    private static void requireKnown(String format) {
        if (!XEN_XL.equals(format) && !XEN_XM.equals(format)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "unsupported config type " + format);
        }
    }
}
