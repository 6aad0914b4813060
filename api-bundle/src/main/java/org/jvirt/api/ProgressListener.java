package org.jvirt.api;

/** Told how far a long job (save, restore, dump, migrate) has come. */
@FunctionalInterface
public interface ProgressListener {
    /** @param processed units done; @param total units in all, or 0 if unknown */
    void progress(long processed, long total);

    ProgressListener NONE = (p, t) -> { };
}
