package org.jvirt.xml;

import java.util.List;

/** A device of a domain: one element inside {@code <devices>}. */
public sealed interface DeviceDef
    permits DiskDef, ControllerDef, InterfaceDef, CharDeviceDef, InputDef, GraphicsDef, SoundDef, VideoDef,
    MemballoonDef, GenericDeviceDef {

    /** The element name: disk, interface, serial, ... */
    String getElementName();

    AddressDef getAddress();

    void setAddress(AddressDef address);

    /** The {@code <alias name=.../>}, or null. */
    String getAlias();

    void setAlias(String alias);

    /** The per-device {@code <boot order=.../>}, 0 when absent. */
    int getBootOrder();

    void setBootOrder(int order);

    /** Child elements this model does not know, kept so that they round-trip. */
    List<XmlNode> getExtraElements();

    DeviceDef copy();
}
