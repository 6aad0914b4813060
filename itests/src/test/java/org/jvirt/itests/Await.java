package org.jvirt.itests;

import static org.junit.Assert.fail;

import java.util.function.BooleanSupplier;

import org.jvirt.api.Connect;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;

/** Waiting for asynchronous OSGi effects (SCR, FileInstall, EventAdmin), with a bound. */
final class Await {

    static final long WAIT_MS = 10_000;

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out after " + WAIT_MS + " ms waiting for " + what);
            }
            sleep(10);
        }
    }

    /** Opens a URI, waiting for its driver to show up. */
    static Connect open(String uri) {
        long end = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            try {
                return Connect.open(uri);
            } catch (VirtException e) {
                if (e.code() != ErrorCode.NO_CONNECT || System.currentTimeMillis() > end) {
                    throw e;
                }
            }
            sleep(10);
        }
    }

    /** The error code opening a URI fails with, or null if it opens. */
    static ErrorCode openError(String uri) {
        try (Connect c = Connect.open(uri)) {
            return null;
        } catch (VirtException e) {
            return e.code();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
