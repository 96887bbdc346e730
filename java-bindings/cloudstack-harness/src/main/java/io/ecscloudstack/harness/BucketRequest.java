package io.ecscloudstack.harness;

import java.util.Objects;

/**
 * The parameters of CloudStack's {@code createBucket} API.
 *
 * @param storeId the object store
 * @param accountId the owner
 * @param name the bucket's name
 * @param quota the quota in GiB (mandatory in recent CloudStack; null allowed here)
 * @param versioning whether versioning is requested
 * @param encryption whether encryption is requested
 * @param objectLocking whether object lock is requested
 * @param policy the policy text ("public", "private", ...), or null
 */
public record BucketRequest(long storeId, long accountId, String name, Integer quota, boolean versioning,
        boolean encryption, boolean objectLocking, String policy) {

    /** Checks the name is present. */
    public BucketRequest {
        Objects.requireNonNull(name, "name");
    }

    /**
     * @param storeId the object store
     * @param accountId the owner
     * @param name the bucket's name
     * @return a request with no quota, policy or option
     */
    public static BucketRequest of(long storeId, long accountId, String name) {
        return new BucketRequest(storeId, accountId, name, null, false, false, false, null);
    }

    /**
     * @param gib the quota in GiB
     * @return a copy with that quota
     */
    public BucketRequest withQuota(Integer gib) {
        return new BucketRequest(storeId, accountId, name, gib, versioning, encryption, objectLocking, policy);
    }

    /**
     * @param on whether versioning is requested
     * @return a copy
     */
    public BucketRequest withVersioning(boolean on) {
        return new BucketRequest(storeId, accountId, name, quota, on, encryption, objectLocking, policy);
    }

    /**
     * @param on whether encryption is requested
     * @return a copy
     */
    public BucketRequest withEncryption(boolean on) {
        return new BucketRequest(storeId, accountId, name, quota, versioning, on, objectLocking, policy);
    }

    /**
     * @param on whether object lock is requested
     * @return a copy
     */
    public BucketRequest withObjectLocking(boolean on) {
        return new BucketRequest(storeId, accountId, name, quota, versioning, encryption, on, policy);
    }

    /**
     * @param text the policy text, or null
     * @return a copy
     */
    public BucketRequest withPolicy(String text) {
        return new BucketRequest(storeId, accountId, name, quota, versioning, encryption, objectLocking, text);
    }
}
