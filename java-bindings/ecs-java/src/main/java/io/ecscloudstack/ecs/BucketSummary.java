package io.ecscloudstack.ecs;

/** One bucket of the store's namespace, as the service account sees it. */
public final class BucketSummary {
    private final String name;
    private final String owner;
    private final String created;
    private final Long quotaGib;
    private final boolean encryption;
    private final boolean versioning;

    /** Called by the native library; a {@code null} {@code quotaGib} means no quota. */
    BucketSummary(String name, String owner, String created, Long quotaGib, boolean encryption, boolean versioning) {
        this.name = name;
        this.owner = owner;
        this.created = created;
        this.quotaGib = quotaGib;
        this.encryption = encryption;
        this.versioning = versioning;
    }

    /** @return the bucket name */
    public String name() {
        return name;
    }

    /** @return the owning object user, or {@code null} when ECS reports none */
    public String owner() {
        return owner;
    }

    /** @return the creation time as ECS reports it (ISO-8601), or {@code null} */
    public String created() {
        return created;
    }

    /** @return the hard quota in GiB, or {@code null} for none */
    public Long quotaGib() {
        return quotaGib;
    }

    /** @return whether server-side encryption is on */
    public boolean encryption() {
        return encryption;
    }

    /** @return whether versioning is enabled */
    public boolean versioning() {
        return versioning;
    }

    @Override
    public String toString() {
        return "BucketSummary[name=" + name + ", owner=" + owner + ", created=" + created + ", quotaGib=" + quotaGib
                + ", encryption=" + encryption + ", versioning=" + versioning + "]";
    }
}
