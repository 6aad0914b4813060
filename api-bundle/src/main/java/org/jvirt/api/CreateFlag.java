package org.jvirt.api;

/** Options for starting a domain, as libvirt's virDomainCreateFlags. */
public enum CreateFlag implements Flag {
    /** Leave the guest paused once started. */
    PAUSED(1),
    /** Destroy the guest when the connection that started it closes. */
    AUTODESTROY(2),
    /** Avoid the file system cache when restoring a managed save image. */
    BYPASS_CACHE(4),
    /** Boot, discarding any managed save image. */
    FORCE_BOOT(8),
    /** Validate the XML against the schema. */
    VALIDATE(16),
    /** Re-initialize NVRAM from its template. */
    RESET_NVRAM(32);

    private final int bit;

    CreateFlag(int bit) {
        this.bit = bit;
    }

    @Override
    public int bit() {
        return bit;
    }
}
