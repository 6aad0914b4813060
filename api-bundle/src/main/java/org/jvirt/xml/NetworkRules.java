package org.jvirt.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * libvirt 9.0's parse-time rules of src/conf/network_conf.c that the network model does not enforce field
 * by field, checked on the document's tree: forward interfaces and PCI devices listed once, no forward
 * device on an open network, no DNS data in a network whose DNS is disabled.
 */
final class NetworkRules {
    private NetworkRules() {
    }

    static void parse(XmlNode root, String name) {
        XmlNode forward = root.child("forward");
        if (forward != null) {
            forward(forward, name);
        }
        XmlNode dns = root.child("dns");
        if (dns != null && "no".equals(dns.attr("enable")) && (!dns.children("forwarder").isEmpty()
                || !dns.children("host").isEmpty() || !dns.children("srv").isEmpty()
                || !dns.children("txt").isEmpty())) {
            throw XmlIn.xmlError("Extra data in disabled network '" + name + "'");
        }
    }

    /** virNetworkForwardDefParseXML and the forward mode checks of virNetworkDefParseXML. */
    private static void forward(XmlNode forward, String name) {
        String mode = forward.attr("mode") == null ? "nat" : forward.attr("mode");
        List<XmlNode> interfaces = forward.children("interface");
        List<XmlNode> addresses = forward.children("address");
        String dev = forward.attr("dev");
        if (!interfaces.isEmpty()) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < interfaces.size(); i++) {
                String d = interfaces.get(i).attr("dev");
                if (i == 0 && dev != null) {
                    seen.add(d);
                    continue;
                }
                if (d != null && seen.contains(d)) {
                    throw XmlIn.xmlError("interface '" + d + "' can only be listed once in network " + name);
                }
                seen.add(d);
            }
        } else if (!addresses.isEmpty()) {
            List<long[]> seen = new ArrayList<>();
            for (XmlNode a : addresses) {
                if (!"pci".equals(a.attr("type"))) {
                    continue;
                }
                long[] pci = {HostdevRules.num(a.attr("domain")), HostdevRules.num(a.attr("bus")),
                    HostdevRules.num(a.attr("slot")), HostdevRules.num(a.attr("function"))};
                for (long[] s : seen) {
                    if (java.util.Arrays.equals(s, pci)) {
                        throw XmlIn.xmlError(String.format("PCI device '%04x:%02x:%02x.%x' can only be listed once "
                            + "in network %s", pci[0], pci[1], pci[2], pci[3], name));
                    }
                }
                seen.add(pci);
            }
        }
        boolean hasDev = dev != null || !interfaces.isEmpty() || !addresses.isEmpty();
        if (mode.equals("open") && hasDev) {
            throw XmlIn.xmlError("forward dev not allowed for network '" + name + "' with forward mode='open'");
        }
    }
}
