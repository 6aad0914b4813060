package org.jvirt.remote.internal.rpc;

import java.util.List;
import java.util.Map;

import org.jvirt.remote.internal.xdr.XdrReader;
import org.jvirt.remote.internal.xdr.XdrWriter;
import org.jvirt.spi.Procedure;

/**
 * Older procedures that stock clients still send (virsh calls virDomainDestroy, not virDomainDestroyFlags,
 * when it has no flags): each maps onto an SPI entry of the {@link Procedure} table with the flags libvirt's
 * drivers use for the old call.
 */
public final class LegacyProcedures {

    /**
     * @param number    the old procedure's number
     * @param api       libvirt's API name, for messages
     * @param target    the SPI entry it calls
     * @param wireArgs  the old procedure's argument types
     * @param extraArgs what follows them in the SPI call (e.g. flags)
     * @param returns   whether the old procedure returns the SPI entry's result (else void)
     */
    public record Legacy(int number, String api, Procedure target, List<XdrType<?>> wireArgs, List<Object> extraArgs,
            boolean returns) {

        /** The SPI arguments of a call. */
        public Object[] readArgs(XdrReader r) {
            Object[] out = new Object[wireArgs.size() + extraArgs.size()];
            for (int i = 0; i < wireArgs.size(); i++) {
                out[i] = wireArgs.get(i).read(r);
            }
            for (int i = 0; i < extraArgs.size(); i++) {
                out[wireArgs.size() + i] = extraArgs.get(i);
            }
            return out;
        }

        /** Writes the result: the SPI entry's, or nothing. */
        public void writeRet(XdrWriter w, Object result) {
            if (returns) {
                RemoteProcedures.codec(target).ret().write(w, result);
            }
        }
    }

    /** VIR_DOMAIN_AFFECT_LIVE: what libvirt's drivers apply for the old calls that change a running domain. */
    private static final int AFFECT_LIVE = 1;

    private static final Map<Integer, Legacy> BY_NUMBER = Map.ofEntries(
            entry(9, "virDomainCreate", Procedure.DOMAIN_CREATE_WITH_FLAGS, List.of(XdrTypes.DOMAIN), List.of(0), false),
            entry(11, "virDomainDefineXML", Procedure.DOMAIN_DEFINE_XML_FLAGS, List.of(XdrTypes.STRING), List.of(0), true),
            entry(12, "virDomainDestroy", Procedure.DOMAIN_DESTROY_FLAGS, List.of(XdrTypes.DOMAIN), List.of(0), false),
            entry(33, "virDomainShutdown", Procedure.DOMAIN_SHUTDOWN_FLAGS, List.of(XdrTypes.DOMAIN), List.of(0), false),
            entry(35, "virDomainUndefine", Procedure.DOMAIN_UNDEFINE_FLAGS, List.of(XdrTypes.DOMAIN), List.of(0), false),
            entry(55, "virDomainSave", Procedure.DOMAIN_SAVE_FLAGS, List.of(XdrTypes.DOMAIN, XdrTypes.STRING),
                    java.util.Arrays.asList(null, 0), false),
            entry(54, "virDomainRestore", Procedure.DOMAIN_RESTORE_FLAGS, List.of(XdrTypes.STRING),
                    java.util.Arrays.asList(null, 0), false),
            entry(31, "virDomainSetMemory", Procedure.DOMAIN_SET_MEMORY_FLAGS, List.of(XdrTypes.DOMAIN, XdrTypes.UHYPER),
                    List.of(AFFECT_LIVE), false),
            entry(32, "virDomainSetVcpus", Procedure.DOMAIN_SET_VCPUS_FLAGS, List.of(XdrTypes.DOMAIN, XdrTypes.UINT),
                    List.of(AFFECT_LIVE), false),
            entry(26, "virDomainPinVcpu", Procedure.DOMAIN_PIN_VCPU_FLAGS,
                    List.of(XdrTypes.DOMAIN, XdrTypes.UINT, XdrTypes.bitmap(RemoteProcedures.CPUMAP_MAX)), List.of(0),
                    false),
            entry(8, "virDomainAttachDevice", Procedure.DOMAIN_ATTACH_DEVICE_FLAGS,
                    List.of(XdrTypes.DOMAIN, XdrTypes.STRING), List.of(AFFECT_LIVE), false),
            entry(13, "virDomainDetachDevice", Procedure.DOMAIN_DETACH_DEVICE_FLAGS,
                    List.of(XdrTypes.DOMAIN, XdrTypes.STRING), List.of(AFFECT_LIVE), false),
            entry(57, "virDomainGetSchedulerParameters", Procedure.DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS,
                    List.of(XdrTypes.DOMAIN, XdrTypes.INT), List.of(0), true),
            entry(58, "virDomainSetSchedulerParameters", Procedure.DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS,
                    List.of(XdrTypes.DOMAIN, XdrTypes.list(XdrTypes.TYPED_PARAM, 16)), List.of(0), false),
            entry(41, "virNetworkDefineXML", Procedure.NETWORK_DEFINE_XML_FLAGS, List.of(XdrTypes.STRING), List.of(0), true),
            entry(40, "virNetworkCreateXML", Procedure.NETWORK_CREATE_XML_FLAGS, List.of(XdrTypes.STRING), List.of(0), true));

    private LegacyProcedures() {
    }

    private static Map.Entry<Integer, Legacy> entry(int number, String api, Procedure target, List<XdrType<?>> wire,
            List<Object> extra, boolean returns) {
        return Map.entry(number, new Legacy(number, api, target, wire, extra, returns));
    }

    /** The old procedure of a number, or null. */
    public static Legacy byNumber(int number) {
        return BY_NUMBER.get(number);
    }
}
