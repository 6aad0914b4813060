package org.example.driver.exe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.UUID;

import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.SecurityModel;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.EventSink;
import org.jvirt.spi.support.DomainEvents;
import org.jvirt.spi.support.DomainList;
import org.jvirt.spi.support.LocalConnection;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

import static org.jvirt.spi.Procedure.checkFlags;

/**
 * A connection to the exe driver. Only what the driver can do is implemented; everything else keeps
 * the SPI's default, which reports "not supported". Flags arrive as they were given, unknown bits
 * included: each entry refuses the bits it does not know, naming itself as libvirt names a driver's
 * function (driver + entry, e.g. {@code exeDomainDestroyFlags}).
 */
final class ExeConnection implements LocalConnection {

    private static final int XML_FLAGS = XmlFlag.SECURE.bit() | XmlFlag.INACTIVE.bit();

    private final ExeHost host;
    private final String uri;
    private final DomainEvents events;

    ExeConnection(ExeHost host, String uri, EventSink sink) {
        this.host = host;
        this.uri = uri;
        this.events = new DomainEvents(sink, ErrorDomain.DOMAIN);
        host.events.add(events);
    }

    private ExeHost host() {
        if (host.isClosed()) {
            throw new VirtException(ErrorCode.INVALID_CONN, ErrorDomain.NONE,
                    "the exe driver instance of this connection was stopped; reopen the connection");
        }
        return host;
    }

    private DomainList<ExeDomain> domains() {
        return host().domains();
    }

    // ---- the connection -----------------------------------------------------------------------------

    @Override
    public String connectGetType() {
        return "EXE";
    }

    @Override
    public String connectGetURI() {
        return uri;
    }

    @Override
    public long connectGetVersion() {
        return 1_000_000L;
    }

    @Override
    public String connectGetHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public String connectGetCapabilities() {
        String arch = System.getProperty("os.arch").replace("amd64", "x86_64");
        return "<capabilities>\n  <host>\n    <cpu>\n      <arch>" + arch + "</arch>\n    </cpu>\n  </host>\n"
                + "  <guest>\n    <os_type>exe</os_type>\n    <arch name='" + arch + "'>\n"
                + "      <wordsize>64</wordsize>\n      <domain type='lxc'/>\n    </arch>\n  </guest>\n"
                + "</capabilities>\n";
    }

    /** No security driver: libvirt's "none" model, printed as empty strings. */
    @Override
    public SecurityModel nodeGetSecurityModel() {
        return new SecurityModel("", "");
    }

    @Override
    public void connectClose() {
        host.events.remove(events);
        events.close();
    }

    // ---- events -------------------------------------------------------------------------------------

    @Override
    public int connectDomainEventCallbackRegisterAny(int eventId, DomainRef dom) {
        return events.register(eventId, dom);
    }

    @Override
    public void connectDomainEventCallbackDeregisterAny(int callbackId) {
        events.deregister(callbackId);
    }

    @Override
    public DomainList<?> domainList() {
        return domains();
    }

    // ---- listing and lookup -------------------------------------------------------------------------

    @Override
    public List<DomainRef> connectListAllDomains(int flags) {
        checkFlags(flags, DomainList.LIST_FILTERS_ALL, "exeConnectListAllDomains");
        return domains().listAll(flags);
    }

    @Override
    public DomainRef domainLookupByID(int id) {
        return domains().lookupByID(id).ref();
    }

    @Override
    public DomainRef domainLookupByName(String name) {
        return domains().lookupByName(name).ref();
    }

    @Override
    public DomainRef domainLookupByUUID(UUID uuid) {
        return domains().lookupByUUID(uuid).ref();
    }

    @Override
    public DomainRef domainDefineXMLFlags(String xml, int flags) {
        checkFlags(flags, 0, "exeDomainDefineXMLFlags");
        return host().define(xml);
    }

    @Override
    public DomainRef domainCreateXML(String xml, int flags) {
        checkFlags(flags, 0, "exeDomainCreateXML");
        return host().createTransient(xml);
    }

    @Override
    public void domainUndefineFlags(DomainRef dom, int flags) {
        checkFlags(flags, 0, "exeDomainUndefineFlags");
        host().undefine(dom);
    }

    // ---- one domain ---------------------------------------------------------------------------------

    @Override
    public String domainGetOSType(DomainRef dom) {
        host().find(dom);
        return "exe";
    }

    @Override
    public DomainInfo domainGetInfo(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            ExeDomain d = h.find(dom);
            DomainDef def = d.current();
            DomainState state = d.status().state();
            long cpu = 0;
            long mem = 0;
            if (d.running()) {
                ProcFs.Stat st = ProcFs.stat(d.pid);
                if (st != null) {
                    cpu = ProcFs.cpuTimeNs(st);
                    mem = ProcFs.rssKiB(d.pid);
                }
            }
            return new DomainInfo(state, def.getMemoryKiB(), mem, def.effectiveCurrentVcpus(), cpu);
        }
    }

    @Override
    public DomainStatus domainGetState(DomainRef dom, int flags) {
        checkFlags(flags, 0, "exeDomainGetState");
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).status();
        }
    }

    @Override
    public String domainGetXMLDesc(DomainRef dom, int flags) {
        checkFlags(flags, XML_FLAGS, "exeDomainGetXMLDesc");
        ExeHost h = host();
        synchronized (h) {
            ExeDomain d = h.find(dom);
            boolean inactive = (flags & XmlFlag.INACTIVE.bit()) != 0 && d.persistent != null;
            DomainDef def = inactive ? d.persistent : d.current();
            return DomainXml.format(def, new DomainXml.Format(inactive ? -1 : d.id,
                    (flags & XmlFlag.SECURE.bit()) != 0, inactive));
        }
    }

    @Override
    public boolean domainIsActive(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).running();
        }
    }

    @Override
    public boolean domainIsPersistent(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).persistent != null;
        }
    }

    @Override
    public DomainRef domainCreateWithFlags(DomainRef dom, int flags) {
        checkFlags(flags, 0, "exeDomainCreateWithFlags");
        return host().create(dom);
    }

    @Override
    public void domainDestroyFlags(DomainRef dom, int flags) {
        checkFlags(flags, 0, "exeDomainDestroyFlags");
        host().destroy(dom);
    }

    @Override
    public void domainShutdownFlags(DomainRef dom, int flags) {
        checkFlags(flags, 0, "exeDomainShutdownFlags");
        host().shutdown(dom);
    }

    @Override
    public void domainSuspend(DomainRef dom) {
        host().suspend(dom);
    }

    @Override
    public void domainResume(DomainRef dom) {
        host().resume(dom);
    }

    @Override
    public boolean domainGetAutostart(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).autostart;
        }
    }

    @Override
    public void domainSetAutostart(DomainRef dom, boolean autostart) {
        host().setAutostart(dom, autostart);
    }

    @Override
    public long domainGetMaxMemory(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).current().getMemoryKiB();
        }
    }

    @Override
    public int domainGetMaxVcpus(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).current().getVcpus();
        }
    }
}
