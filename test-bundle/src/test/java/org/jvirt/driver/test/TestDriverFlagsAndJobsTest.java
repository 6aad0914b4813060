package org.jvirt.driver.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.api.Connect;
import org.jvirt.api.Domain;
import org.jvirt.api.DomainState;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.JobInfo;
import org.jvirt.api.JobStats;
import org.jvirt.api.TypedParameter;
import org.jvirt.api.VirtException;

/**
 * Flag bits the front end does not know reach the test driver, which refuses those libvirt 9.0's test driver
 * refuses, with its words; and the save/dump job model the API's progress listeners are built on.
 */
class TestDriverFlagsAndJobsTest {
    static final int UNKNOWN = 1 << 30;

    Connect conn;
    Domain test;

    @BeforeEach
    void open() {
        conn = Connect.open("test:///default");
        test = conn.lookupByName("test");
    }

    @AfterEach
    void close() {
        conn.close();
    }

    static void refused(String function, int bits, Executable call) {
        VirtException e = assertThrows(VirtException.class, call);
        assertEquals(ErrorCode.INVALID_ARG, e.code(), e.getMessage());
        assertEquals("unsupported flags (0x" + Integer.toHexString(bits) + ") in function " + function,
                e.getMessage());
    }

    @Test
    void unknownFlagBitsAreRefusedByTheDriver() {
        refused("testDomainDestroyFlags", UNKNOWN, () -> test.destroy(UNKNOWN));
        refused("testDomainUndefineFlags", UNKNOWN, () -> test.undefine(UNKNOWN));
        refused("testDomainShutdownFlags", UNKNOWN, () -> test.shutdown(UNKNOWN));
        refused("testDomainReboot", UNKNOWN, () -> test.reboot(UNKNOWN));
        assertEquals(DomainState.RUNNING, test.getState().state(), "nothing happened");
        assertTrue(test.isPersistent());
    }

    @Test
    void onlyTheUnknownBitsAreNamedAndKnownOnesWork() {
        refused("testDomainDestroyFlags", UNKNOWN, () -> test.destroy(UNKNOWN | 1));
        refused("testDomainShutdownFlags", 1, () -> test.shutdown(1)); // ACPI_POWER_BTN: libvirt's takes none
        refused("testDomainUndefineFlags", 4, () -> test.undefine(4)); // NVRAM, as libvirt's
        test.destroy(1); // GRACEFUL
        assertEquals(DomainState.SHUTOFF, test.getState().state());
        test.undefine(1 | 2); // MANAGED_SAVE | SNAPSHOTS_METADATA: there are none to keep
        assertEquals(ErrorCode.NO_DOMAIN, assertThrows(VirtException.class, () -> conn.lookupByName("test")).code());
    }

    static Map<String, Object> fields(JobStats s) {
        Map<String, Object> m = new HashMap<>();
        for (TypedParameter p : s.params()) {
            m.put(p.name(), p.value());
        }
        return m;
    }

    @Test
    void aCoreDumpIsAJob(@TempDir Path dir) {
        assertEquals(JobInfo.NONE, test.getJobInfo().type());
        assertEquals(ErrorCode.OPERATION_INVALID, assertThrows(VirtException.class, test::abortJob).code());
        test.coreDump(dir.resolve("core").toString());
        assertEquals(JobInfo.NONE, test.getJobInfo().type(), "it has ended");
        JobStats done = test.getJobStats(1); // VIR_DOMAIN_JOB_STATS_COMPLETED
        assertEquals(JobInfo.COMPLETED, done.type());
        assertEquals(8, fields(done).get("operation"), "VIR_DOMAIN_JOB_OPERATION_DUMP");
        assertEquals(2097152L * 1024, fields(done).get("data_total"));
        assertEquals(fields(done).get("data_total"), fields(done).get("data_processed"));
        assertEquals(JobInfo.NONE, test.getJobStats(1).type(), "read once, as without KEEP_COMPLETED");
        refused("testDomainGetJobStats", 4, () -> test.getJobStats(4));
    }
}
