package org.jvirt.driver.qemu.internal.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One QMP command as data: its name and its arguments (null when it takes none). This is the request half
 * of the codec and never touches a socket: {@link QemuMonitor} sends {@link #line(String)}, the capability
 * probe writes it to QEMU's stdin. The factories below are every command the driver issues, named as
 * QEMU names them, with the arguments in the order QEMU's reference gives them.
 */
public record QmpRequest(String command, ObjectNode arguments) {

    /** The message as QEMU reads it: {@code {"execute":…,"arguments":…,"id":…}}; null parts are left out. */
    public ObjectNode message(String id) {
        return QmpJson.obj("execute", command, "arguments", arguments, "id", id);
    }

    /** The message as one compact line of JSON, without the newline. */
    public String line(String id) {
        return QmpJson.write(message(id));
    }

    private static QmpRequest of(String command) {
        return new QmpRequest(command, null);
    }

    // ---- negotiation and the emulator itself ----------------------------------------------------

    /** Leaves capabilities negotiation mode; the first command on every connection. */
    public static QmpRequest qmpCapabilities() {
        return of("qmp_capabilities");
    }

    public static QmpRequest queryVersion() {
        return of("query-version");
    }

    public static QmpRequest queryTarget() {
        return of("query-target");
    }

    public static QmpRequest queryMachines() {
        return of("query-machines");
    }

    /** QOM types that implement {@code implementing}; {@code includeAbstract} null leaves QEMU's default. */
    public static QmpRequest qomListTypes(String implementing, Boolean includeAbstract) {
        return new QmpRequest("qom-list-types", QmpJson.obj("implements", implementing, "abstract", includeAbstract));
    }

    public static QmpRequest quit() {
        return of("quit");
    }

    // ---- run state ------------------------------------------------------------------------------

    public static QmpRequest queryStatus() {
        return of("query-status");
    }

    public static QmpRequest cont() {
        return of("cont");
    }

    public static QmpRequest stop() {
        return of("stop");
    }

    public static QmpRequest systemPowerdown() {
        return of("system_powerdown");
    }

    public static QmpRequest systemReset() {
        return of("system_reset");
    }

    // ---- vCPUs, memory, character devices, block statistics -------------------------------------

    public static QmpRequest queryCpusFast() {
        return of("query-cpus-fast");
    }

    public static QmpRequest queryHotpluggableCpus() {
        return of("query-hotpluggable-cpus");
    }

    /** Sets the balloon target, in bytes. */
    public static QmpRequest balloon(long bytes) {
        return new QmpRequest("balloon", QmpJson.obj("value", bytes));
    }

    public static QmpRequest queryBalloon() {
        return of("query-balloon");
    }

    public static QmpRequest queryChardev() {
        return of("query-chardev");
    }

    public static QmpRequest queryBlockstats() {
        return of("query-blockstats");
    }

    // ---- hotplug --------------------------------------------------------------------------------

    /** Adds a device; {@code props} is the same object as the JSON {@code -device} argument. */
    public static QmpRequest deviceAdd(ObjectNode props) {
        return new QmpRequest("device_add", props);
    }

    public static QmpRequest deviceDel(String id) {
        return new QmpRequest("device_del", QmpJson.obj("id", id));
    }

    /** Adds a block node; {@code props} is the same object as the JSON {@code -blockdev} argument. */
    public static QmpRequest blockdevAdd(ObjectNode props) {
        return new QmpRequest("blockdev-add", props);
    }

    public static QmpRequest blockdevDel(String nodeName) {
        return new QmpRequest("blockdev-del", QmpJson.obj("node-name", nodeName));
    }

    /** Adds a network backend; {@code props} is the same object as the JSON {@code -netdev} argument. */
    public static QmpRequest netdevAdd(ObjectNode props) {
        return new QmpRequest("netdev_add", props);
    }

    public static QmpRequest netdevDel(String id) {
        return new QmpRequest("netdev_del", QmpJson.obj("id", id));
    }

    // ---- migration and dumps (asynchronous jobs: these return at once, query-* follows them) ----

    /** Caps the outgoing migration's bandwidth, in bytes per second. */
    public static QmpRequest migrateSetMaxBandwidth(long bytesPerSecond) {
        return new QmpRequest("migrate-set-parameters", QmpJson.obj("max-bandwidth", bytesPerSecond));
    }

    public static QmpRequest migrate(String uri) {
        return new QmpRequest("migrate", QmpJson.obj("uri", uri));
    }

    public static QmpRequest migrateIncoming(String uri) {
        return new QmpRequest("migrate-incoming", QmpJson.obj("uri", uri));
    }

    public static QmpRequest queryMigrate() {
        return of("query-migrate");
    }

    public static QmpRequest migrateCancel() {
        return of("migrate_cancel");
    }

    /** Dumps guest memory to {@code protocol} ({@code file:PATH} or {@code fd:NAME}). */
    public static QmpRequest dumpGuestMemory(boolean paging, String protocol, boolean detach) {
        return new QmpRequest("dump-guest-memory", QmpJson.obj("paging", paging, "protocol", protocol,
                "detach", detach));
    }

    public static QmpRequest queryDump() {
        return of("query-dump");
    }
}
