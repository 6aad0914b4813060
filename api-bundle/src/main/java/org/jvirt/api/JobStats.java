package org.jvirt.api;

import java.util.List;

/**
 * A domain's job statistics (libvirt's virDomainGetJobStats): the job type and typed fields such as
 * {@code time_elapsed}, {@code data_total} and {@code data_processed}.
 */
public record JobStats(int type, List<TypedParameter> params) {
    public JobStats {
        params = List.copyOf(params);
    }
}
