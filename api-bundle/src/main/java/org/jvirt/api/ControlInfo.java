package org.jvirt.api;

/**
 * The state of the hypervisor's control interface to a domain (libvirt's virDomainControlInfo).
 *
 * @param state       {@link #OK}, {@link #JOB}, {@link #OCCUPIED} or {@link #ERROR}
 * @param details     for {@link #ERROR}, libvirt's virDomainControlErrorReason
 * @param stateTimeMs how long the control interface has been in this state, in milliseconds
 */
public record ControlInfo(int state, int details, long stateTimeMs) {
    public static final int OK = 0;
    public static final int JOB = 1;
    public static final int OCCUPIED = 2;
    public static final int ERROR = 3;
}
