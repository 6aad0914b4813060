package org.jvirt.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;

import org.jvirt.api.Connect;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.VirtException;
import org.junit.jupiter.api.Test;

/** Driver selection by scheme and ranking outside OSGi, through ServiceLoader. */
class DriverSelectionTest {

    @Test
    void highestRankingDriverServesTheScheme() {
        try (Connect c = Connect.open("fake:///x")) {
            assertEquals("high", c.getType());
        }
        try (Connect c = Connect.open("fake2:///x")) {
            assertEquals("high", c.getType(), "a driver may serve several schemes");
        }
    }

    @Test
    void aDeclinedUriGoesToTheNextDriver() {
        try (Connect c = Connect.open("fake:///not-mine")) {
            assertEquals("low", c.getType());
        }
    }

    @Test
    void declinedByAllIsNoConnectNotAFailure() {
        VirtException e = assertThrows(VirtException.class, () -> Connect.open("shy:///x"));
        assertEquals(ErrorCode.NO_CONNECT, e.code());
        assertEquals("no connection driver available for shy:///x", e.getMessage());
        VirtException none = assertThrows(VirtException.class, () -> Connect.open("nosuch:///"));
        assertEquals(ErrorCode.NO_CONNECT, none.code());
    }

    @Test
    void hostOrTransportGoesToTheRemoteScheme() {
        try (Connect c = Connect.open("fake://somehost/x")) {
            assertEquals("remote", c.getType());
        }
        try (Connect c = Connect.open("fake+ssh:///x")) {
            assertEquals("remote", c.getType());
        }
    }

    @Test
    void brokenAndSchemelessDriversAreListedAsRejected() {
        var rejected = new FrontEndImpl().registry().rejected();
        assertTrue(rejected.stream().anyMatch(r -> r.name().equals("noscheme") && r.reason().contains("scheme")),
                rejected::toString);
        assertTrue(rejected.stream().anyMatch(r -> r.reason().contains("Missing")), rejected::toString);
        assertTrue(new FrontEndImpl().registry().active().stream().anyMatch(e -> e.name().equals("high")
                && e.schemes().contains("fake") && e.ranking() == 5));
        var listed = Connect.listDrivers();
        assertEquals("high", listed.get(0).name(), "best ranking first");
        assertTrue(listed.stream().anyMatch(d -> !d.isActive() && d.name().equals("noscheme")));
    }

    @Test
    void aSecondaryDriverServesNetworksWhenThePrimaryHasNone() {
        try (Connect c = Connect.open("fake:///x")) {
            assertEquals(java.util.List.of("from-x"), c.listNetworks());
            VirtException e = assertThrows(VirtException.class, () -> c.networkLookupByName("from-x"));
            assertEquals(ErrorCode.NO_SUPPORT, e.code(), "the secondary driver did not implement lookups");
        }
        try (Connect c = Connect.open("shy2:///x")) {
            fail("declined");
        } catch (VirtException e) {
            assertEquals(ErrorCode.NO_CONNECT, e.code());
        }
    }

    @Test
    void theAuthCallbackAnswersTheDriversCredentialRequests() {
        org.jvirt.api.ConnectAuth auth = new org.jvirt.api.ConnectAuth() {
            @Override
            public Set<org.jvirt.api.Credential.Type> supportedTypes() {
                return Set.of(org.jvirt.api.Credential.Type.AUTHNAME, org.jvirt.api.Credential.Type.PASSPHRASE);
            }

            @Override
            public boolean authenticate(java.util.List<org.jvirt.api.Credential> credentials) {
                for (org.jvirt.api.Credential c : credentials) {
                    c.setResult(c.type() == org.jvirt.api.Credential.Type.PASSPHRASE ? "secret" : "alice");
                }
                return true;
            }
        };
        try (Connect c = Connect.open("auth:///", auth, Set.of())) {
            assertEquals("auth:alice", c.getType());
        }
        VirtException e = assertThrows(VirtException.class, () -> Connect.open("auth:///"));
        assertEquals(ErrorCode.AUTH_FAILED, e.code());
    }

    @Test
    void badUrisAreInvalidArg() {
        for (String bad : new String[] {"no-scheme-here", "://x", "fake://host:99999/", "fa ke:///"}) {
            VirtException e = assertThrows(VirtException.class, () -> Connect.open(bad), bad);
            assertEquals(ErrorCode.INVALID_ARG, e.code(), bad);
        }
    }
}
