package org.jvirt.shell;

/**
 * Ends a command as failed; carries no stack trace. The session prints {@code error: message} (if any), then
 * {@code error: cause message} (if any), as virsh prints its own message and then libvirt's last error.
 */
public final class CommandFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandFailed(String message, RuntimeException cause) {
        super(message, cause, false, false);
    }

    public CommandFailed(String message) {
        this(message, null);
    }
}
