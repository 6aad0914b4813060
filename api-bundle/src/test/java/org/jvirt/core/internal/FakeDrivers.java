package org.jvirt.core.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.jvirt.api.VirtUri;
import org.jvirt.spi.Driver;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.NetworkConnection;
import org.jvirt.spi.NetworkDriver;
import org.jvirt.spi.OpenContext;

/** Drivers found through ServiceLoader by the registry tests. */
public final class FakeDrivers {
    private FakeDrivers() {
    }

    /** A connection that only knows who made it. */
    record Conn(String type, String uri) implements DriverConnection {
        @Override
        public String connectGetType() {
            return type;
        }

        @Override
        public String connectGetURI() {
            return uri;
        }

        @Override
        public void connectClose() {
        }
    }

    abstract static class Base implements Driver {
        private final String name;
        private final String scheme;
        private final int ranking;

        Base(String name, String scheme, int ranking) {
            this.name = name;
            this.scheme = scheme;
            this.ranking = ranking;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> schemes() {
            return scheme == null ? Set.of() : Set.of(scheme, scheme + "2");
        }

        @Override
        public int ranking() {
            return ranking;
        }

        @Override
        public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
            return Optional.of(new Conn(name, uri.toString()));
        }
    }

    public static final class Low extends Base {
        public Low() {
            super("low", "fake", 1);
        }
    }

    public static final class High extends Base {
        public High() {
            super("high", "fake", 5);
        }

        @Override
        public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
            // declines one path so that the next driver for the scheme is asked
            return uri.path().equals("/not-mine") ? Optional.empty() : super.open(uri, context);
        }
    }

    public static final class Decliner extends Base {
        public Decliner() {
            super("decliner", "shy", 0);
        }

        @Override
        public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
            return Optional.empty();
        }
    }

    public static final class NoScheme extends Base {
        public NoScheme() {
            super("noscheme", null, 0);
        }
    }

    /** A secondary driver serving the network calls of "fake" connections. */
    public static final class Networks implements NetworkDriver {
        @Override
        public Set<String> schemes() {
            return Set.of("fake");
        }

        @Override
        public Optional<NetworkConnection> open(VirtUri uri, OpenContext context) {
            return Optional.of(new NetworkConnection() {
                @Override
                public int connectNumOfNetworks() {
                    return 1;
                }

                @Override
                public int connectNumOfDefinedNetworks() {
                    return 0;
                }

                @Override
                public List<String> connectListNetworks(int maxnames) {
                    return List.of("from-" + uri.path().substring(1));
                }

                @Override
                public List<String> connectListDefinedNetworks(int maxnames) {
                    return List.of();
                }
            });
        }
    }

    /** Asks the caller for a user name and passphrase through the auth callback, as a remote driver would. */
    public static final class Auth extends Base {
        public Auth() {
            super("auth", "auth", 0);
        }

        @Override
        public Optional<DriverConnection> open(VirtUri uri, OpenContext context) {
            List<org.jvirt.api.Credential> creds = List.of(
                    new org.jvirt.api.Credential(org.jvirt.api.Credential.Type.AUTHNAME, "Username", null, "root"),
                    new org.jvirt.api.Credential(org.jvirt.api.Credential.Type.PASSPHRASE, "Password", null, null));
            if (context.auth() == null || !context.auth().authenticate(creds)
                    || !"secret".equals(creds.get(1).result())) {
                throw new org.jvirt.api.VirtException(org.jvirt.api.ErrorCode.AUTH_FAILED,
                        org.jvirt.api.ErrorDomain.REMOTE, "authentication failed for " + creds.get(0).result());
            }
            return Optional.of(new Conn("auth:" + creds.get(0).result(), uri.toString()));
        }
    }

    public static final class Remote extends Base {
        public Remote() {
            super("remote", "remote", 0);
        }
    }
}
