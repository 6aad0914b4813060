package org.jvirt.driver.test.internal;

import static org.jvirt.spi.Procedure.checkFlags;

import org.jvirt.api.DomainEventType;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.SaveFlag;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.support.DomainList;

/**
 * libvirt 9.0's test driver's managed save (a flag on the domain: saving stops it, a start or a removal
 * forgets it) and rename of a shut-off persistent domain, with its events and words.
 */
final class TestManagedSaveAndRename {
    private final TestHost host;

    TestManagedSaveAndRename(TestHost host) {
        this.host = host;
    }

    void managedSave(DomainRef dom, int flags) {
        checkFlags(flags, SaveFlag.BYPASS_CACHE.bit() | SaveFlag.RUNNING.bit() | SaveFlag.PAUSED.bit(),
                ErrorDomain.TEST, "testDomainManagedSave");
        synchronized (host) {
            TestDomain d = DomainList.checkActive(host.domains.get(dom));
            if (d.persistent == null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST,
                        "cannot do managed save for transient domain");
            }
            host.stop(d, DomainStatus.SHUTOFF_SAVED);
            host.emit(d, DomainEventType.STOPPED, DomainEventType.STOPPED_SAVED);
            d.managedSave = true;
        }
    }

    void managedSaveRemove(DomainRef dom, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainManagedSaveRemove");
        synchronized (host) {
            host.domains.get(dom).managedSave = false;
        }
    }

    void rename(DomainRef dom, String newName, int flags) {
        checkFlags(flags, 0, ErrorDomain.TEST, "testDomainRename");
        synchronized (host) {
            TestDomain d = host.domains.get(dom);
            if (d.isActive()) {
                throw invalid("cannot rename active domain");
            }
            if (d.persistent == null) {
                throw invalid("cannot rename a transient domain");
            }
            if (d.state() != DomainState.SHUTOFF) {
                throw invalid("domain has to be shutoff before renaming");
            }
            if (d.persistent.getName().equals(newName)) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, "Can't rename domain to itself");
            }
            if (host.domains.findByName(newName) != null) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN,
                        "domain with name '" + newName + "' already exists");
            }
            if (newName.contains("/")) {
                throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.TEST, "name " + newName + " cannot contain '/'");
            }
            host.emit(d, DomainEventType.UNDEFINED, DomainEventType.UNDEFINED_RENAMED);
            d.persistent.setName(newName);
            host.domains.add(d);
            host.emit(d, DomainEventType.DEFINED, DomainEventType.DEFINED_RENAMED);
        }
    }

    private static VirtException invalid(String message) {
        return new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.TEST, message);
    }
}
