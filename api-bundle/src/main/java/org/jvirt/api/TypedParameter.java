package org.jvirt.api;

/**
 * A named, typed value (libvirt's virTypedParameter), as used by scheduler parameters.
 *
 * @param name  field name, e.g. "weight"
 * @param type  value type
 * @param value the value: Integer, Long, Double, Boolean or String as the type says
 */
public record TypedParameter(String name, Type type, Object value) {

    /** Types, numbered as libvirt's virTypedParameterType. */
    public enum Type {
        INT(1), UINT(2), LLONG(3), ULLONG(4), DOUBLE(5), BOOLEAN(6), STRING(7);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Type fromCode(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NONE, "unknown parameter type " + code);
        }
    }

    public static TypedParameter ofUInt(String name, int value) {
        return new TypedParameter(name, Type.UINT, value);
    }

    public static TypedParameter ofULong(String name, long value) {
        return new TypedParameter(name, Type.ULLONG, value);
    }

    /** The value as virsh prints it. */
    public String valueText() {
        return switch (type) {
            case UINT -> Integer.toUnsignedString((Integer) value);
            case ULLONG -> Long.toUnsignedString((Long) value);
            case DOUBLE -> String.format("%f", (Double) value);
            default -> String.valueOf(value);
        };
    }
}
