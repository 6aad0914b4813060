package org.jvirt.remote.internal.rpc;

import org.jvirt.api.ErrorLevel;
import org.jvirt.api.VirtError;
import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;

/**
 * libvirt's virNetMessageError: {code, domain, message*, level, dom*, str1*, str2*, str3*, int1, int2, net*}.
 * Raw code and domain numbers cross unchanged.
 */
public final class RpcErrors {
    private RpcErrors() {
    }

    public static void write(XdrWriter w, VirtError e) {
        w.writeInt(e.codeNumber());
        w.writeInt(e.domainNumber());
        w.writeOptionalString(e.message());
        w.writeInt(e.level().code());
        w.writeBoolean(false); // dom: unused
        w.writeOptionalString(e.str1());
        w.writeOptionalString(e.str2());
        w.writeOptionalString(e.str3());
        w.writeInt(e.int1());
        w.writeInt(e.int2());
        w.writeBoolean(false); // net: unused
    }

    public static VirtError read(XdrReader r) {
        int code = r.readInt();
        int domain = r.readInt();
        String message = r.readOptionalString(Packet.MAX_STRING);
        int level = r.readInt();
        String domName = null;
        if (r.readBoolean()) {
            domName = XdrTypes.DOMAIN.read(r).name();
        }
        String str1 = r.readOptionalString(Packet.MAX_STRING);
        String str2 = r.readOptionalString(Packet.MAX_STRING);
        String str3 = r.readOptionalString(Packet.MAX_STRING);
        int int1 = r.readInt();
        int int2 = r.readInt();
        String netName = null;
        if (r.readBoolean()) {
            netName = XdrTypes.NETWORK.read(r).name();
        }
        return new VirtError(code, domain, ErrorLevel.fromCode(level), message, str1, str2, str3, int1, int2,
                domName, netName);
    }
}
