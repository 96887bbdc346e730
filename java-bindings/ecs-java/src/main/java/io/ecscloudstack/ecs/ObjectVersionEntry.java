package io.ecscloudstack.ecs;

import java.time.Instant;

/** One version of an object, or a delete marker, in a versioned bucket. */
public final class ObjectVersionEntry {
    private final String key;
    private final String versionId;
    private final boolean latest;
    private final boolean deleteMarker;
    private final long size;
    private final Instant lastModified;

    /** Called by the native library; a negative time means unknown. */
    ObjectVersionEntry(String key, String versionId, boolean latest, boolean deleteMarker, long size,
            long lastModifiedMillis) {
        this.key = key;
        this.versionId = versionId;
        this.latest = latest;
        this.deleteMarker = deleteMarker;
        this.size = size;
        this.lastModified = lastModifiedMillis < 0 ? null : Instant.ofEpochMilli(lastModifiedMillis);
    }

    /** @return the object key */
    public String key() {
        return key;
    }

    /** @return the version id */
    public String versionId() {
        return versionId;
    }

    /** @return whether this is the current version */
    public boolean latest() {
        return latest;
    }

    /** @return whether this version is a delete marker */
    public boolean deleteMarker() {
        return deleteMarker;
    }

    /** @return the size in bytes (0 for a delete marker) */
    public long size() {
        return size;
    }

    /** @return when the object (version) was written, or {@code null} when unknown */
    public Instant lastModified() {
        return lastModified;
    }

    @Override
    public String toString() {
        return "ObjectVersionEntry[key=" + key + ", versionId=" + versionId + (latest ? ", latest" : "")
                + (deleteMarker ? ", deleteMarker" : "") + ", size=" + size + "]";
    }
}
