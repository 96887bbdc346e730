package io.ecscloudstack.ecs;

/** The bytes one bucket uses, as CloudStack's hourly usage task wants them. */
public final class BucketUsage {
    private final String bucket;
    private final long bytes;

    /** Called by the native library. */
    BucketUsage(String bucket, long bytes) {
        this.bucket = bucket;
        this.bytes = bytes;
    }

    /** @return the bucket name */
    public String bucket() {
        return bucket;
    }

    /** @return the bytes it uses */
    public long bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return "BucketUsage[bucket=" + bucket + ", bytes=" + bytes + "]";
    }
}
