package org.jvirt.xml;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What libvirt 9.0's generic post-parse adds to a definition: the drive address of a disk given none
 * (virDomainDiskDefAssignAddress) and the controllers that addresses and devices imply
 * (virDomainDefAddImplicitControllers), each kept in libvirt's order of controllers.
 */
final class ImplicitDevices {
    /**
     * The highest controller index implied by an address that is added. libvirt adds them all; an address
     * naming controller 4294967295 would have it add four billion, so jvirt stops here (and accepts).
     */
    static final int MAX_IMPLIED_INDEX = 255;

    private ImplicitDevices() {
    }

    static void add(DomainDef def, List<DriveRules.Drive> drives, XmlNode devices) {
        Map<String, DriveRules.Drive> byTarget = new HashMap<>();
        for (DriveRules.Drive d : drives) {
            byTarget.putIfAbsent(d.dst(), d);
        }
        for (DiskDef disk : def.getDisks()) {
            DriveRules.Drive d = byTarget.get(disk.getTargetDev());
            if (disk.getAddress() == null && d != null && d.address() != null) {
                long[] a = d.address();
                disk.setAddress(AddressDef.drive((int) a[0], (int) a[1], (int) a[2], (int) a[3]));
            }
        }
        for (String[] bus : new String[][] {{"scsi", "scsi"}, {"fdc", "fdc"}, {"ide", "ide"}, {"sata", "sata"}}) {
            int max = -1;
            for (DiskDef disk : def.getDisks()) {
                AddressDef a = disk.getAddress();
                if (bus[1].equals(disk.getTargetBus()) && a != null && "drive".equals(a.getType())) {
                    max = (int) Math.min(Math.max(max, HostdevRules.num(a.get("controller"))), Integer.MAX_VALUE);
                }
            }
            for (int i = 0; i <= Math.min(max, MAX_IMPLIED_INDEX); i++) {
                maybeAdd(def, bus[0], i, null);
            }
        }
        for (CharDeviceDef c : def.getChannels()) {
            if ("virtio".equals(c.getTargetType())) {
                maybeAdd(def, "virtio-serial", virtioSerialController(c), null);
            }
        }
        for (CharDeviceDef c : def.getConsoles()) {
            if ("virtio".equals(c.getTargetType())) {
                maybeAdd(def, "virtio-serial", virtioSerialController(c), null);
            }
        }
        int maxScsi = -1;
        for (long[] a : HostdevRules.scsiDriveAddresses(devices)) {
            maxScsi = (int) Math.min(Math.max(maxScsi, a[0]), Integer.MAX_VALUE);
        }
        for (int i = 0; i <= Math.min(maxScsi, MAX_IMPLIED_INDEX); i++) {
            maybeAdd(def, "scsi", i, null);
        }
    }

    private static int virtioSerialController(CharDeviceDef c) {
        AddressDef a = c.getAddress();
        return a != null && "virtio-serial".equals(a.getType()) && a.get("controller") != null
            ? (int) Math.min(HostdevRules.num(a.get("controller")), Integer.MAX_VALUE) : 0;
    }

    private static boolean companion(ControllerDef c) {
        return c.getExtraElements().stream().anyMatch(x -> x.getName().equals("master"));
    }

    /** virDomainDefMaybeAddController: a controller of that type and index, unless there is one. */
    private static void maybeAdd(DomainDef def, String type, int index, String model) {
        for (ControllerDef c : def.getControllers()) {
            if (type.equals(c.getType()) && c.getIndex() == index) {
                return;
            }
        }
        ControllerDef c = new ControllerDef(type, index);
        c.setModel(model);
        insertController(def.getControllers(), c);
    }

    /**
     * virDomainControllerInsertPreAlloced: before the first later controller of its type with a higher index,
     * else after the last one of its type, else at the end.
     */
    static void insertController(List<ControllerDef> controllers, ControllerDef c) {
        int insertAt = -1;
        for (int i = controllers.size() - 1; i >= 0; i--) {
            ControllerDef cur = controllers.get(i);
            if (!cur.getType().equals(c.getType())) {
                continue;
            }
            if (c.getIndex() == -1) {
                insertAt = i + 1;
                break;
            }
            if (cur.getIndex() > c.getIndex()) {
                insertAt = i;
            } else if (!companion(c) && companion(cur) && cur.getIndex() == c.getIndex()) {
                insertAt = i; // a master goes before its companions
            } else if (insertAt == -1) {
                insertAt = i + 1;
            }
        }
        controllers.add(insertAt < 0 ? controllers.size() : insertAt, c);
    }
}
