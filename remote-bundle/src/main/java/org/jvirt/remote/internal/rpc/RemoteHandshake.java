package org.jvirt.remote.internal.rpc;

import static org.jvirt.remote.internal.rpc.ProcedureCodec.NO_ARGS;
import static org.jvirt.remote.internal.rpc.ProcedureCodec.VOID;

import java.util.List;

/**
 * The procedures of the REMOTE program that a client (virsh) sends around opening a connection and that
 * are no SPI entry, so that the server answers them itself:
 * <ul>
 * <li>AUTH_LIST (66): no arguments; {@code remote_auth_list_ret {remote_auth_type types<20>}} as an int[]
 * of {@link RemoteProtocol#AUTH_NONE} and the like;</li>
 * <li>CONNECT_SUPPORTS_FEATURE (60): {@code {int feature}} as {@code Object[]{Integer}};
 * {@code {int supported}} as a Boolean;</li>
 * <li>CONNECT_GET_LIB_VERSION (157): no arguments; {@code {unsigned hyper lib_ver}} as a Long
 * (major * 1,000,000 + minor * 1,000 + release);</li>
 * <li>CONNECT_REGISTER_CLOSE_CALLBACK (360) and CONNECT_UNREGISTER_CLOSE_CALLBACK (361): no arguments, no
 * result.</li>
 * </ul>
 *
 * @param number the procedure number
 * @param name   libvirt's name, e.g. {@code REMOTE_PROC_AUTH_LIST}
 * @param args   the arguments
 * @param ret    the result
 */
public record RemoteHandshake(int number, String name, ProcedureCodec.Args args, ProcedureCodec.Ret ret) {

    public static final RemoteHandshake AUTH_LIST = new RemoteHandshake(RemoteProtocol.AUTH_LIST,
            "REMOTE_PROC_AUTH_LIST", NO_ARGS,
            ProcedureCodec.ret(XdrTypes.intArray(RemoteProtocol.AUTH_TYPE_LIST_MAX)));
    public static final RemoteHandshake CONNECT_SUPPORTS_FEATURE = new RemoteHandshake(
            RemoteProtocol.CONNECT_SUPPORTS_FEATURE, "REMOTE_PROC_CONNECT_SUPPORTS_FEATURE",
            ProcedureCodec.args(XdrTypes.INT), ProcedureCodec.ret(XdrTypes.BOOL));
    public static final RemoteHandshake CONNECT_GET_LIB_VERSION = new RemoteHandshake(
            RemoteProtocol.CONNECT_GET_LIB_VERSION, "REMOTE_PROC_CONNECT_GET_LIB_VERSION", NO_ARGS,
            ProcedureCodec.ret(XdrTypes.UHYPER));
    public static final RemoteHandshake CONNECT_REGISTER_CLOSE_CALLBACK = new RemoteHandshake(
            RemoteProtocol.CONNECT_REGISTER_CLOSE_CALLBACK, "REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK",
            NO_ARGS, VOID);
    public static final RemoteHandshake CONNECT_UNREGISTER_CLOSE_CALLBACK = new RemoteHandshake(
            RemoteProtocol.CONNECT_UNREGISTER_CLOSE_CALLBACK,
            "REMOTE_PROC_CONNECT_UNREGISTER_CLOSE_CALLBACK", NO_ARGS, VOID);

    public static final List<RemoteHandshake> ALL = List.of(AUTH_LIST, CONNECT_SUPPORTS_FEATURE,
            CONNECT_GET_LIB_VERSION, CONNECT_REGISTER_CLOSE_CALLBACK, CONNECT_UNREGISTER_CLOSE_CALLBACK);

    /** The handshake procedure of a number, or null. */
    public static RemoteHandshake byNumber(int number) {
        for (RemoteHandshake h : ALL) {
            if (h.number == number) {
                return h;
            }
        }
        return null;
    }
}
