package org.jvirt.driver.test.internal;

import java.util.HashSet;
import java.util.Set;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXmlHooks;
import org.jvirt.xml.InterfaceDef;

/** The test driver's XML hooks: defaults from its fake capabilities, and what it cannot run. */
final class TestXmlHooks implements DomainXmlHooks {
    private static final Set<String> OS_TYPES = Set.of("hvm", "xen");

    @Override
    public void postParse(DomainDef def) {
        if (def.getOs().getArch() == null && OS_TYPES.contains(def.getOs().getType())) {
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

    @Override
    public void validate(DomainDef def) {
        if (!OS_TYPES.contains(def.getOs().getType())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.TEST,
                    "no guest for os type '" + def.getOs().getType() + "' (the test host offers hvm and xen)");
        }
        if (def.getOs().getArch() != null && !"i686".equals(def.getOs().getArch())) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.TEST,
                    "no guest for architecture '" + def.getOs().getArch() + "' (the test host offers i686)");
        }
    }
}
