package org.jvirt.api;

import java.util.Iterator;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * Finds the front end: in OSGi the {@link FrontEnd} service of api-bundle's framework, otherwise the one
 * made once through {@link ServiceLoader}. Holds nothing that changes.
 */
final class FrontEndLookup {
    private FrontEndLookup() {
    }

    static FrontEnd find() {
        if (Osgi.PRESENT) {
            FrontEnd f = Osgi.lookup();
            if (f != null) {
                return f;
            }
        }
        return Plain.INSTANCE;
    }

    /** The front end outside OSGi, made on first use. */
    private static final class Plain {
        static final FrontEnd INSTANCE = load();

        private static FrontEnd load() {
            Iterator<FrontEnd> it = ServiceLoader.load(FrontEnd.class, FrontEndLookup.class.getClassLoader()).iterator();
            if (!it.hasNext()) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE,
                        "no jvirt front end on the class path (api-bundle's META-INF/services)");
            }
            return it.next();
        }
    }

    /** Kept apart so that the OSGi classes are only loaded where they exist. */
    private static final class Osgi {
        static final boolean PRESENT = present();

        private static boolean present() {
            try {
                Class.forName("org.osgi.framework.FrameworkUtil", false, FrontEndLookup.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        /** The framework's front end service, or null when api-bundle is not running in a framework. */
        static FrontEnd lookup() {
            Bundle bundle = FrameworkUtil.getBundle(FrontEnd.class);
            BundleContext ctx = bundle == null ? null : bundle.getBundleContext();
            if (ctx == null) {
                return null;
            }
            ServiceReference<FrontEnd> ref = ctx.getServiceReference(FrontEnd.class);
            FrontEnd f = ref == null ? null : ctx.getService(ref);
            if (f == null) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE,
                        "jvirt's front end is not active in this OSGi framework (api-bundle's DriverTracker component)");
            }
            ctx.ungetService(ref);
            return f;
        }
    }
}
