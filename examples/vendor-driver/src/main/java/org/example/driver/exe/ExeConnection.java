package org.example.driver.exe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jvirt.api.DomainInfo;
import org.jvirt.api.DomainState;
import org.jvirt.api.DomainStatus;
import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.api.XmlFlag;
import org.jvirt.spi.DomainFilter;
import org.jvirt.spi.DomainRef;
import org.jvirt.spi.DriverConnection;
import org.jvirt.spi.EventSink;
import org.jvirt.xml.DomainDef;
import org.jvirt.xml.DomainXml;

/**
 * A connection to the exe driver. Only what the driver can do is implemented; everything else keeps
 * the SPI's default, which reports "not supported".
 */
final class ExeConnection implements DriverConnection {

    private final ExeHost host;
    private final String uri;
    private final EventSink events;

    ExeConnection(ExeHost host, String uri, EventSink events) {
        this.host = host;
        this.uri = uri;
        this.events = events;
        host.addSink(events);
    }

    private ExeHost host() {
        if (host.isClosed()) {
            throw new VirtException(ErrorCode.INVALID_CONN, ErrorDomain.NONE,
                    "the exe driver instance of this connection was stopped; reopen the connection");
        }
        return host;
    }

    @Override
    public String type() {
        return "EXE";
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public long version() {
        return 1_000_000L;
    }

    @Override
    public String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public String capabilities() {
        String arch = System.getProperty("os.arch").replace("amd64", "x86_64");
        return "<capabilities>\n  <host>\n    <cpu>\n      <arch>" + arch + "</arch>\n    </cpu>\n  </host>\n"
                + "  <guest>\n    <os_type>exe</os_type>\n    <arch name='" + arch + "'>\n"
                + "      <wordsize>64</wordsize>\n      <domain type='lxc'/>\n    </arch>\n  </guest>\n"
                + "</capabilities>\n";
    }

    @Override
    public void close() {
        host.removeSink(events);
    }

    // ---- listing and lookup -------------------------------------------------------------------------

    @Override
    public int[] listDomainIds() {
        return host().all().stream().filter(ExeDomain::running).mapToInt(d -> d.id).sorted().toArray();
    }

    @Override
    public List<String> listDefinedDomainNames() {
        return host().all().stream().filter(d -> !d.running() && d.persistent != null).map(d -> d.name).toList();
    }

    @Override
    public List<DomainRef> listAllDomains(int flags) {
        List<DomainRef> out = new ArrayList<>();
        ExeHost h = host();
        synchronized (h) {
            for (ExeDomain d : h.all()) {
                if (DomainFilter.matches(flags, d.status().state(), d.persistent != null, d.autostart, false,
                        false, false)) {
                    out.add(d.ref());
                }
            }
        }
        return out;
    }

    @Override
    public DomainRef lookupById(int id) {
        return host().byId(id).ref();
    }

    @Override
    public DomainRef lookupByName(String name) {
        return host().byName(name).ref();
    }

    @Override
    public DomainRef lookupByUUID(UUID uuid) {
        return host().byUuid(uuid).ref();
    }

    @Override
    public DomainRef defineXML(String xml) {
        return host().define(xml);
    }

    @Override
    public DomainRef createXML(String xml) {
        return host().createTransient(xml);
    }

    @Override
    public void undefine(DomainRef dom) {
        host().undefine(dom);
    }

    // ---- one domain ---------------------------------------------------------------------------------

    @Override
    public String osType(DomainRef dom) {
        return "exe";
    }

    @Override
    public DomainInfo info(DomainRef dom) {
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
    public DomainStatus state(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).status();
        }
    }

    @Override
    public String xmlDesc(DomainRef dom, int flags) {
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
    public boolean isPersistent(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).persistent != null;
        }
    }

    @Override
    public DomainRef create(DomainRef dom) {
        return host().create(dom);
    }

    @Override
    public void destroy(DomainRef dom) {
        host().destroy(dom);
    }

    @Override
    public void shutdown(DomainRef dom) {
        host().shutdown(dom);
    }

    @Override
    public void suspend(DomainRef dom) {
        host().suspend(dom);
    }

    @Override
    public void resume(DomainRef dom) {
        host().resume(dom);
    }

    @Override
    public boolean getAutostart(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).autostart;
        }
    }

    @Override
    public void setAutostart(DomainRef dom, boolean autostart) {
        host().setAutostart(dom, autostart);
    }

    @Override
    public int maxVcpus(DomainRef dom) {
        ExeHost h = host();
        synchronized (h) {
            return h.find(dom).current().getVcpus();
        }
    }
}
