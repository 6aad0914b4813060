package org.jvirt.spi.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvirt.api.ErrorCode;
import org.jvirt.api.ErrorDomain;
import org.jvirt.api.VirtException;
import org.jvirt.spi.DomainFilter;
import org.jvirt.spi.DomainRef;
import org.jvirt.xml.DomainDef;

/**
 * A driver's domains, indexed by name and UUID (libvirt's virDomainObjList), with libvirt's lookups, its
 * uniqueness rules for define and create, id allocation, the listing entries and the live/config selection
 * of virDomainObjUpdateModificationImpact.
 *
 * <p>The list has its own lock, held only while its indices are read or changed: it never calls a
 * {@link DomainObject} method under it, so the domains' methods may take the driver's per-domain locks in
 * any order. A driver that must check and add atomically (define, create, restore, incoming migration)
 * holds its own lock around {@link #checkUnique} and {@link #add}; {@link #add} refuses a clash anyway.
 *
 * <p>Lookup failures ({@code NO_DOMAIN}) carry the driver's error domain; the errors libvirt raises in its
 * shared domain code (uniqueness, "domain is not running", the modification impact) carry
 * {@link ErrorDomain#DOMAIN}, as libvirt's do.
 *
 * @param <T> the driver's domain class
 */
public final class DomainList<T extends DomainObject> {

    /** libvirt's VIR_CONNECT_LIST_DOMAINS_FILTERS_ALL: every bit virConnectListAllDomains knows. */
    public static final int LIST_FILTERS_ALL = 0xffff;

    /** libvirt's VIR_DOMAIN_AFFECT_LIVE and VIR_DOMAIN_AFFECT_CONFIG (CURRENT is 0). */
    public static final int AFFECT_LIVE = 1;
    public static final int AFFECT_CONFIG = 2;

    /** Which definitions a change touches, as virDomainObjUpdateModificationImpact resolves the flags. */
    public record Impact(boolean live, boolean config) {
    }

    private record Keys(String name, UUID uuid) {
    }

    private final ErrorDomain errorDomain;
    private final Map<String, T> byName = new LinkedHashMap<>();
    private final Map<UUID, T> byUuid = new HashMap<>();
    private final Map<T, Keys> keys = new IdentityHashMap<>();
    /** Copies of the two indices for lookups without the list's lock (written under it). */
    private final Map<String, T> nameIndex = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<UUID, T> uuidIndex = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** @param errorDomain the driver's error domain, for lookups that find nothing (e.g. {@link ErrorDomain#TEST}) */
    public DomainList(ErrorDomain errorDomain) {
        this.errorDomain = errorDomain;
    }

    // ---- membership ----------------------------------------------------------------------------------

    /**
     * Registers a domain under its current name and UUID (again, if it is already registered under other
     * ones). Refuses a name or UUID another domain holds, with libvirt's words.
     */
    public void add(T d) {
        String name = d.name();
        UUID uuid = d.uuid();
        synchronized (this) {
            T sameUuid = byUuid.get(uuid);
            if (sameUuid != null && sameUuid != d) {
                throw alreadyDefined(keys.get(sameUuid));
            }
            T sameName = byName.get(name);
            if (sameName != null && sameName != d) {
                throw alreadyExists(name, keys.get(sameName).uuid());
            }
            Keys old = keys.put(d, new Keys(name, uuid));
            if (old != null) {
                byName.remove(old.name(), d);
                byUuid.remove(old.uuid(), d);
                nameIndex.remove(old.name(), d);
                uuidIndex.remove(old.uuid(), d);
            }
            byName.put(name, d);
            byUuid.put(uuid, d);
            nameIndex.put(name, d);
            uuidIndex.put(uuid, d);
        }
    }

    /** Forgets a domain; returns false if it was not registered. */
    public synchronized boolean remove(T d) {
        Keys k = keys.remove(d);
        if (k == null) {
            return false;
        }
        byName.remove(k.name(), d);
        byUuid.remove(k.uuid(), d);
        nameIndex.remove(k.name(), d);
        uuidIndex.remove(k.uuid(), d);
        return true;
    }

    public synchronized boolean contains(T d) {
        return keys.containsKey(d);
    }

    /** Every domain, in the order they were first added. */
    public synchronized List<T> all() {
        return new ArrayList<>(byName.values());
    }

    public synchronized int size() {
        return byName.size();
    }

    /**
     * libvirt's virDomainObjListAdd checks for a new definition: returns the domain that has both its UUID
     * and its name (which the definition then updates or starts), or null when neither is taken. Refuses a
     * UUID held under another name ("domain 'x' is already defined with uuid …"), a name held with another
     * UUID ("domain 'x' already exists with uuid …"), and with {@code checkLive} (create, restore, incoming
     * migration) a domain that is running ("domain 'x' is already active") or a transient one that is
     * being started.
     */
    public T checkUnique(DomainDef def, boolean checkLive) {
        T existing;
        synchronized (this) {
            existing = byUuid.get(def.getUuid());
            if (existing != null) {
                Keys k = keys.get(existing);
                if (!k.name().equals(def.getName())) {
                    throw alreadyDefined(k);
                }
            } else {
                T sameName = byName.get(def.getName());
                if (sameName != null) {
                    throw alreadyExists(def.getName(), keys.get(sameName).uuid());
                }
                return null;
            }
        }
        if (checkLive) {
            if (existing.isActive()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, "domain '"
                        + def.getName() + "' is already active");
            }
            if (!existing.isPersistent()) {
                throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, "domain '"
                        + def.getName() + "' is already being started");
            }
        }
        return existing;
    }

    private static VirtException alreadyDefined(Keys holder) {
        return new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.DOMAIN, "domain '" + holder.name()
                + "' is already defined with uuid " + holder.uuid());
    }

    private static VirtException alreadyExists(String name, UUID holderUuid) {
        return new VirtException(ErrorCode.OPERATION_FAILED, ErrorDomain.DOMAIN, "domain '" + name
                + "' already exists with uuid " + holderUuid);
    }

    // ---- lookups -------------------------------------------------------------------------------------

    public T findByName(String name) {
        return nameIndex.get(name);
    }

    public T findByUUID(UUID uuid) {
        return uuidIndex.get(uuid);
    }

    /** The running domain with this id, or null. */
    public T findByID(int id) {
        for (T d : all()) {
            if (d.id() == id && d.isActive()) {
                return d;
            }
        }
        return null;
    }

    /** virDomainLookupByName: the domain, or NO_DOMAIN "no domain with matching name 'x'". */
    public T lookupByName(String name) {
        T d = findByName(name);
        if (d == null) {
            throw noDomain("no domain with matching name '" + name + "'");
        }
        return d;
    }

    /** virDomainLookupByUUID: the domain, or NO_DOMAIN "no domain with matching uuid 'u'". */
    public T lookupByUUID(UUID uuid) {
        T d = findByUUID(uuid);
        if (d == null) {
            throw noDomain("no domain with matching uuid '" + uuid + "'");
        }
        return d;
    }

    /** virDomainLookupByID: the running domain, or NO_DOMAIN "no domain with matching id N". */
    public T lookupByID(int id) {
        T d = findByID(id);
        if (d == null) {
            throw noDomain("no domain with matching id " + id);
        }
        return d;
    }

    /**
     * The domain a handle names, by its UUID, as libvirt's drivers resolve a virDomainPtr; NO_DOMAIN
     * "no domain with matching uuid 'u' (name)" when it is gone.
     */
    public T get(DomainRef ref) {
        T d = ref.uuid() == null ? null : findByUUID(ref.uuid());
        if (d == null) {
            throw noDomain("no domain with matching uuid '" + ref.uuid() + "' (" + ref.name() + ")");
        }
        return d;
    }

    private VirtException noDomain(String detail) {
        return new VirtException(ErrorCode.NO_DOMAIN, errorDomain, detail);
    }

    // ---- listing -------------------------------------------------------------------------------------

    /**
     * virConnectListAllDomains: the domains the flags select ({@link DomainFilter}), in the list's order.
     * The driver refuses bits it does not know first, e.g. with
     * {@code Procedure.checkFlags(flags, DomainList.LIST_FILTERS_ALL, "testConnectListAllDomains")}.
     */
    public List<DomainRef> listAll(int flags) {
        List<DomainRef> out = new ArrayList<>();
        for (T d : all()) {
            if (DomainFilter.matches(flags, d.state(), d.isPersistent(), d.isAutostart(), d.hasManagedSave(),
                    d.hasSnapshot(), d.hasCheckpoint())) {
                out.add(d.ref());
            }
        }
        return out;
    }

    /** virConnectListDomains: the running domains' ids, ascending, at most {@code maxids} (all when negative). */
    public int[] activeIds(int maxids) {
        int[] ids = all().stream().filter(DomainObject::isActive).mapToInt(DomainObject::id).sorted().toArray();
        return maxids >= 0 && ids.length > maxids ? java.util.Arrays.copyOf(ids, maxids) : ids;
    }

    /** virConnectListDefinedDomains: the names of the domains not running, sorted, at most {@code maxnames}. */
    public List<String> inactiveNames(int maxnames) {
        List<String> names = all().stream().filter(d -> !d.isActive()).map(DomainObject::name).sorted().toList();
        return maxnames >= 0 && names.size() > maxnames ? names.subList(0, maxnames) : names;
    }

    /** virConnectNumOfDomains. */
    public int numActive() {
        return (int) all().stream().filter(DomainObject::isActive).count();
    }

    /** virConnectNumOfDefinedDomains. */
    public int numInactive() {
        return (int) all().stream().filter(d -> !d.isActive()).count();
    }

    // ---- ids -----------------------------------------------------------------------------------------

    /** A new domain id: 1, 2, 3, … as libvirt's drivers number the domains they start. */
    public int allocateId() {
        return nextId.getAndIncrement();
    }

    /** Makes sure later ids are above one already in use (a domain found running at start-up). */
    public void reserveId(int used) {
        nextId.accumulateAndGet(used + 1, Math::max);
    }

    // ---- state checks --------------------------------------------------------------------------------

    /** libvirt's virDomainObjCheckActive: OPERATION_INVALID "domain is not running" unless it runs. */
    public static <D extends DomainObject> D checkActive(D d) {
        if (!d.isActive()) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, "domain is not running");
        }
        return d;
    }

    /**
     * libvirt's virDomainObjUpdateModificationImpact: which definitions {@code flags} (only its
     * {@link #AFFECT_LIVE} and {@link #AFFECT_CONFIG} bits are looked at) select. Neither (AFFECT_CURRENT)
     * means the live one of a running domain, else the persistent one. Refuses LIVE for a domain that is not
     * running ("domain is not running") and CONFIG for a transient one ("transient domains do not have any
     * persistent config").
     */
    public static Impact modificationImpact(DomainObject d, int flags) {
        boolean active = d.isActive();
        boolean live = (flags & AFFECT_LIVE) != 0;
        boolean config = (flags & AFFECT_CONFIG) != 0;
        if (!live && !config) {
            live = active;
            config = !active;
        }
        if (live && !active) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN, "domain is not running");
        }
        if (config && !d.isPersistent()) {
            throw new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.DOMAIN,
                    "transient domains do not have any persistent config");
        }
        return new Impact(live, config);
    }
}
