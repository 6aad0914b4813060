package org.jvirt.driver.test.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXmlHooks;
import org.jvirt.xml.InterfaceDef;

/**
 * The test driver's XML hooks: the defaults libvirt's test driver fills in (arch i686, interface
 * names testnetN, MACs 52:54:00:xx:xx:xx). Like libvirt's, it runs whatever it is given, so it has no
 * validate hook. It knows no XML namespace, so namespaced elements (qemu:commandline) are dropped, as
 * libvirt's test driver drops them.
 */
final class TestXmlHooks implements DomainXmlHooks {
    /** libvirt's generated MACs need no cryptographic randomness (virRandomBits). */
    private static java.util.concurrent.ThreadLocalRandom rnd() {
        return java.util.concurrent.ThreadLocalRandom.current();
    }

    @Override
    public void postParse(DomainDef def) {
        def.getExtraElements().removeIf(x -> x.getName().indexOf(':') > 0);
        def.getOtherAttributes().keySet().removeIf(k -> k.startsWith("xmlns:"));
        for (InterfaceDef i : def.getInterfaces()) {
            if (i.getMac() == null) {
                i.setMac(String.format(Locale.ROOT, "52:54:00:%02x:%02x:%02x",
                        rnd().nextInt(256), rnd().nextInt(256), rnd().nextInt(256)));
            }
        }
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
