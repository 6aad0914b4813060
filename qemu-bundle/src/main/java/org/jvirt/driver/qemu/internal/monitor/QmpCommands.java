package org.jvirt.driver.qemu.internal.monitor;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The QMP commands the driver uses, as typed methods over any QMP transport ({@link QemuMonitor} is the
 * one). Each method sends its {@link QmpRequest} and turns the "return" value into a record of this
 * package; the transport answers QEMU's refusals with OPERATION_FAILED and a silent QEMU with
 * OPERATION_TIMEOUT.
 */
public interface QmpCommands {

    /** Runs a request and returns its "return" value (never null). */
    JsonNode execute(QmpRequest request);

    /** Sends a request without waiting for the reply. */
    CompletableFuture<JsonNode> send(QmpRequest request);

    // ---- negotiation and the emulator itself ----------------------------------------------------

    default void qmpCapabilities() {
        execute(QmpRequest.qmpCapabilities());
    }

    default QmpVersion queryVersion() {
        return QmpVersion.from(execute(QmpRequest.queryVersion()));
    }

    default QmpTarget queryTarget() {
        return QmpTarget.from(execute(QmpRequest.queryTarget()));
    }

    default List<QmpMachine> queryMachines() {
        return QmpMachine.list(execute(QmpRequest.queryMachines()));
    }

    default List<QmpObjectType> qomListTypes(String implementing, Boolean includeAbstract) {
        return QmpObjectType.list(execute(QmpRequest.qomListTypes(implementing, includeAbstract)));
    }

    /** Asks QEMU to exit; it answers first. */
    default void quit() {
        execute(QmpRequest.quit());
    }

    // ---- run state ------------------------------------------------------------------------------

    default QmpStatus queryStatus() {
        return QmpStatus.from(execute(QmpRequest.queryStatus()));
    }

    default void cont() {
        execute(QmpRequest.cont());
    }

    default void stop() {
        execute(QmpRequest.stop());
    }

    /** Presses the ACPI power button. */
    default void systemPowerdown() {
        execute(QmpRequest.systemPowerdown());
    }

    default void systemReset() {
        execute(QmpRequest.systemReset());
    }

    // ---- vCPUs, memory, character devices, block statistics -------------------------------------

    default List<QmpCpu> queryCpusFast() {
        return QmpCpu.list(execute(QmpRequest.queryCpusFast()));
    }

    default List<QmpHotpluggableCpu> queryHotpluggableCpus() {
        return QmpHotpluggableCpu.list(execute(QmpRequest.queryHotpluggableCpus()));
    }

    /** Sets the balloon target, in bytes. */
    default void balloon(long bytes) {
        execute(QmpRequest.balloon(bytes));
    }

    default QmpBalloon queryBalloon() {
        return QmpBalloon.from(execute(QmpRequest.queryBalloon()));
    }

    default List<QmpChardev> queryChardev() {
        return QmpChardev.list(execute(QmpRequest.queryChardev()));
    }

    default List<QmpBlockStats> queryBlockstats() {
        return QmpBlockStats.list(execute(QmpRequest.queryBlockstats()));
    }

    // ---- hotplug --------------------------------------------------------------------------------

    default void deviceAdd(ObjectNode props) {
        execute(QmpRequest.deviceAdd(props));
    }

    /** Asks the guest to release a device; DEVICE_DELETED tells when it has. */
    default void deviceDel(String id) {
        execute(QmpRequest.deviceDel(id));
    }

    default void blockdevAdd(ObjectNode props) {
        execute(QmpRequest.blockdevAdd(props));
    }

    default void blockdevDel(String nodeName) {
        execute(QmpRequest.blockdevDel(nodeName));
    }

    default void netdevAdd(ObjectNode props) {
        execute(QmpRequest.netdevAdd(props));
    }

    default void netdevDel(String id) {
        execute(QmpRequest.netdevDel(id));
    }

    // ---- migration and dumps: these start a job and return; the query-* methods follow it --------

    default void migrateSetMaxBandwidth(long bytesPerSecond) {
        execute(QmpRequest.migrateSetMaxBandwidth(bytesPerSecond));
    }

    default void migrate(String uri) {
        execute(QmpRequest.migrate(uri));
    }

    default void migrateIncoming(String uri) {
        execute(QmpRequest.migrateIncoming(uri));
    }

    default QmpMigrationInfo queryMigrate() {
        return QmpMigrationInfo.from(execute(QmpRequest.queryMigrate()));
    }

    /** Asks QEMU to cancel the outgoing migration without waiting (usable from an interrupted thread). */
    default CompletableFuture<Void> sendMigrateCancel() {
        return send(QmpRequest.migrateCancel()).thenApply(r -> null);
    }

    default void dumpGuestMemory(boolean paging, String protocol, boolean detach) {
        execute(QmpRequest.dumpGuestMemory(paging, protocol, detach));
    }

    default QmpDumpInfo queryDump() {
        return QmpDumpInfo.from(execute(QmpRequest.queryDump()));
    }
}
