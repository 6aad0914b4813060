package org.jvirt.driver.test.internal;

import org.jvirt.api.NodeInfo;

/** The test host's capabilities XML, laid out as libvirt's test driver lays it out. */
final class TestCapabilities {
    private TestCapabilities() {
    }

    static String format(NodeInfo node) {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<capabilities>\n\n  <host>\n    <cpu>\n      <arch>").append(node.model()).append("</arch>\n")
                .append("      <features>\n        <pae/>\n        <nonpae/>\n      </features>\n")
                .append("      <pages unit='KiB' size='4'/>\n      <pages unit='KiB' size='8'/>\n")
                .append("      <pages unit='KiB' size='2048'/>\n      <pages unit='KiB' size='1048576'/>\n")
                .append("    </cpu>\n    <power_management/>\n    <iommu support='no'/>\n    <topology>\n");
        int cells = Math.max(1, node.nodes());
        int perCell = Math.max(1, node.maxCpus() / cells);
        sb.append("      <cells num='").append(cells).append("'>\n");
        int cpu = 0;
        for (int c = 0; c < cells; c++) {
            long mem = 2097152L * (c + 1); // libvirt's test host: 2 GiB in cell 0, 4 GiB in cell 1, ...
            int pageSize = c % 2 == 0 ? 4 : 8;
            sb.append("        <cell id='").append(c).append("'>\n")
                    .append("          <memory unit='KiB'>").append(mem).append("</memory>\n")
                    .append("          <pages unit='KiB' size='").append(pageSize).append("'>")
                    .append(mem / pageSize).append("</pages>\n")
                    .append("          <pages unit='KiB' size='2048'>0</pages>\n")
                    .append("          <pages unit='KiB' size='1048576'>0</pages>\n")
                    .append("          <cpus num='").append(perCell).append("'>\n");
            for (int i = 0; i < perCell; i++, cpu++) {
                sb.append("            <cpu id='").append(cpu).append("' socket_id='").append(c)
                        .append("' die_id='0' core_id='").append(i).append("' siblings='").append(cpu).append("'/>\n");
            }
            sb.append("          </cpus>\n        </cell>\n");
        }
        sb.append("      </cells>\n    </topology>\n    <secmodel>\n      <model>testSecurity</model>\n")
                .append("      <doi></doi>\n    </secmodel>\n  </host>\n\n");
        for (String os : new String[] {"hvm", "xen"}) {
            sb.append("  <guest>\n    <os_type>").append(os).append("</os_type>\n")
                    .append("    <arch name='i686'>\n      <wordsize>32</wordsize>\n")
                    .append("      <emulator>/usr/bin/test-hv</emulator>\n      <domain type='test'/>\n")
                    .append("    </arch>\n    <features>\n      <pae/>\n      <nonpae/>\n    </features>\n")
                    .append("  </guest>\n\n");
        }
        return sb.append("</capabilities>\n").toString();
    }
}
