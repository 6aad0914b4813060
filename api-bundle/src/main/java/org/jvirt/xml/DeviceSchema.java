package org.jvirt.xml;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The attributes and direct child elements libvirt 9.0's domain schema (domaincommon.rng) allows on each
 * device element. libvirt ignores the others when it parses and so never writes them; {@link #prune} drops
 * them the same way, before a device is parsed, so no unknown attribute or element is carried through.
 * Devices not listed here (crypto) are kept as they are.
 */
final class DeviceSchema {
    private DeviceSchema() {
    }

    private record Known(Set<String> attributes, Set<String> children) {
    }

    private static final Map<String, Known> KNOWN = new HashMap<>();

    private static void known(String device, String attributes, String children) {
        KNOWN.put(device, new Known(Set.of(attributes.isEmpty() ? new String[0] : attributes.split(" ")),
            Set.of(children.split(" "))));
    }

    static {
        known("disk", "device model rawio sgio snapshot type",
            "acpi address alias auth backenddomain backingStore blockio boot driver encryption "
            + "geometry iotune mirror product readonly serial shareable source target transient vendor "
            + "wwn");
        known("controller", "index maxEventChannels maxGrantFrames model ports type vectors",
            "acpi address alias driver master model pcihole64 target");
        known("lease", "state",
            "key lockspace target");
        known("filesystem", "accessmode dmode fmode model multidevs type",
            "acpi address alias binary boot driver readonly source space_hard_limit space_soft_limit "
            + "target");
        known("interface", "managed trustGuestRxFilters type",
            "acpi address alias backend backenddomain bandwidth boot coalesce downscript driver "
            + "filterref guest ip link mac model mtu port portForward rom route script source target "
            + "teaming tune virtualport vlan");
        known("smartcard", "mode type",
            "acpi address certificate database log protocol source target");
        known("serial", "tty type",
            "acpi address alias log protocol source target");
        known("parallel", "tty type",
            "acpi address alias log protocol source target");
        known("console", "tty type",
            "acpi address alias log protocol source target");
        known("channel", "mode name type",
            "address alias log protocol source target");
        known("input", "bufferCount bufferLength bus clientName connectPorts dev exactName fixedSettings latency mixingEngine model name serverName streamName tryPoll type voices",
            "acpi address alias driver settings source");
        known("tpm", "model",
            "address alias backend");
        known("graphics", "address autoport connected defaultMode display fullscreen keymap listen multiUser p2p passwd passwdValidTo port powerControl replaceUser sharePolicy socket tlsPort type websocket xauth",
            "audio channel clipboard filetransfer gl image jpeg listen mouse playback streaming zlib");
        known("sound", "model",
            "acpi address alias audio codec");
        known("audio", "driver dspPolicy exclusive id path serverName timerPeriod tryMMap type",
            "input output");
        known("video", "",
            "acpi address alias driver model");
        known("hostdev", "display managed mode model ramfb rawio sgio type",
            "acpi address alias boot driver ip readonly rom route shareable source teaming");
        known("redirdev", "bus type",
            "address alias boot log protocol source");
        known("redirfilter", "",
            "usbdev");
        known("hub", "type",
            "address alias");
        known("watchdog", "action model",
            "acpi address alias");
        known("memballoon", "autodeflate freePageReporting model",
            "acpi address alias driver stats");
        known("rng", "model",
            "acpi address alias backend driver rate");
        known("nvram", "template type",
            "address source");
        known("panic", "model",
            "address alias");
        known("shmem", "name role",
            "acpi address alias model msi server size");
        known("memory", "access discard dumpCore mode model nodeset placement unit",
            "acpi address alias source target uuid");
        known("iommu", "model",
            "acpi address alias driver");
        known("vsock", "model",
            "acpi address alias cid driver");
    }

    /** Removes the attributes and direct children of a device element that libvirt's schema does not know. */
    static void prune(XmlNode device) {
        Known k = KNOWN.get(device.getName());
        if (k == null) {
            return;
        }
        device.getAttributes().keySet().removeIf(a -> !k.attributes().contains(a));
        device.getChildren().removeIf(c -> !k.children().contains(c.getName()));
    }
}
