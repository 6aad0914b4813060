package org.jvirt.driver.qemu.internal.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The request codec alone: what goes on the wire, without a socket. */
class QmpRequestTest {

    @Test
    void argumentsComeBetweenTheCommandAndTheId() {
        assertEquals("{\"execute\":\"cont\",\"id\":\"j7\"}", QmpRequest.cont().line("j7"));
        assertEquals("{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"device\",\"abstract\":false},"
                + "\"id\":\"devices\"}", QmpRequest.qomListTypes("device", false).line("devices"));
        // an absent optional argument is left out, not sent as null
        assertEquals("{\"execute\":\"qom-list-types\",\"arguments\":{\"implements\":\"accel\"},\"id\":\"a\"}",
                QmpRequest.qomListTypes("accel", null).line("a"));
        assertEquals("{\"execute\":\"balloon\",\"arguments\":{\"value\":4398046511104},\"id\":\"b\"}",
                QmpRequest.balloon(4L << 40).line("b"));
    }

    @Test
    void theHotpluggableCpuPropsAreTheCallersCopy() {
        var cpu = QmpHotpluggableCpu.list(QmpJson.parse("[{\"type\":\"qemu64-x86_64-cpu\",\"vcpus-count\":1,"
                + "\"props\":{\"socket-id\":1,\"core-id\":0,\"thread-id\":0}}]")).get(0);
        cpu.props().put("id", "changed");
        assertEquals("{\"socket-id\":1,\"core-id\":0,\"thread-id\":0}", QmpJson.write(cpu.props()));
        assertEquals(false, cpu.plugged());
    }
}
