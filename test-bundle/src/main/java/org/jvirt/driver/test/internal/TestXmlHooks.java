package org.jvirt.driver.test.internal;

import java.util.HashSet;
import java.util.Set;

import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXmlHooks;
import org.jvirt.xml.InterfaceDef;

/**
 * The test driver's XML hooks: the defaults libvirt's test driver fills in (arch i686, interface
 * names testnetN). Like libvirt's, it runs whatever it is given, so it has no validate hook.
 */
final class TestXmlHooks implements DomainXmlHooks {

    @Override
    public void postParse(DomainDef def) {
        if (def.getOs().getArch() == null) {
            def.getOs().setArch("i686");
        }
        Set<String> used = new HashSet<>();
        for (InterfaceDef i : def.getInterfaces()) {
            if (i.getTargetDev() != null) {
                used.add(i.getTargetDev());
            }
        }
        int n = 0;
        for (InterfaceDef i : def.getInterfaces()) {
            if (i.getTargetDev() == null) {
                while (used.contains("testnet" + n)) {
                    n++;
                }
                i.setTargetDev("testnet" + n);
                used.add("testnet" + n);
            }
        }
    }
}
