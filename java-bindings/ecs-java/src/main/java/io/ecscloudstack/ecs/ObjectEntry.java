package io.ecscloudstack.ecs;

import java.time.Instant;

/** One entry of a bucket listing: an object, or a common prefix ("folder") when delimited. */
public final class ObjectEntry {
    private final String key;
    private final long size;
    private final Instant lastModified;
    private final String etag;
    private final boolean prefix;

    /** Called by the native library; a negative time means unknown. */
    ObjectEntry(String key, long size, long lastModifiedMillis, String etag, boolean prefix) {
        this.key = key;
        this.size = size;
        this.lastModified = lastModifiedMillis < 0 ? null : Instant.ofEpochMilli(lastModifiedMillis);
        this.etag = etag;
        this.prefix = prefix;
    }

    /** @return the object key (or the common prefix) */
    public String key() {
        return key;
    }

    /** @return the size in bytes (0 for a prefix) */
    public long size() {
        return size;
    }

    /** @return when the object (version) was written, or {@code null} when unknown */
    public Instant lastModified() {
        return lastModified;
    }

    /** @return the ETag, or {@code null} */
    public String etag() {
        return etag;
    }

    /** @return whether this entry is a common prefix rather than an object */
    public boolean isPrefix() {
        return prefix;
    }

    @Override
    public String toString() {
        return "ObjectEntry[key=" + key + ", size=" + size + (prefix ? ", prefix" : "") + "]";
    }
}
