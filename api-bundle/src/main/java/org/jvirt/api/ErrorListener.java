package org.jvirt.api;

/** Told of every error reported through the API. */
@FunctionalInterface
public interface ErrorListener {
    void onError(VirtError error);
}
