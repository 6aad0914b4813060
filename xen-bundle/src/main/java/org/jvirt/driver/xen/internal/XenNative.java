package org.jvirt.driver.xen.internal;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.driver.xen.internal.xl.XlConfig;
import org.jvirt.driver.xen.internal.xl.XlConverter;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * virConnectDomainXMLFromNative and ToNative of the Xen driver: the native format {@code xen-xl}
 * (xl.cfg). An xl.cfg becomes a model, which then goes through the same parse pipeline (the driver's
 * post-parse, generic defaults, validation) as defined XML, so both give the same XML.
 */
public final class XenNative {
    public static final String XEN_XL = "xen-xl";

    private XenNative() {
    }

    public static String fromNative(String format, String config, XenXmlHooks hooks) {
        requireXl(format);
        DomainDef def = XlConverter.fromXl(XlConfig.parse(config));
        return normalise(def, hooks);
    }

    public static String toNative(String format, String xml, XenXmlHooks hooks) {
        requireXl(format);
        return XlConverter.toXl(DomainXml.parse(xml, hooks)).format();
    }

    /** The XML of a model after the driver's parse pipeline. */
    static String normalise(DomainDef def, XenXmlHooks hooks) {
        String first = DomainXml.format(def, DomainXml.Format.INACTIVE);
        return DomainXml.format(DomainXml.parse(first, hooks), DomainXml.Format.INACTIVE);
    }

    private static void requireXl(String format) {
        if (!XEN_XL.equals(format)) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.LIBXL, "unsupported config type " + format);
        }
    }
}
