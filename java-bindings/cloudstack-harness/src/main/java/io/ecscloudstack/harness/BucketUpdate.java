package io.ecscloudstack.harness;

import com.cloud.storage.BucketVO;

/**
 * The parameters of CloudStack's {@code updateBucket} API; a null field is not sent.
 *
 * @param encryption the encryption flag, or null
 * @param versioning the versioning flag, or null
 * @param policy the policy text, or null
 * @param quota the quota in GiB, or null
 */
public record BucketUpdate(Boolean encryption, Boolean versioning, String policy, Integer quota) {

    /** @return an update that sends nothing */
    public static BucketUpdate none() {
        return new BucketUpdate(null, null, null, null);
    }

    /**
     * What the UI's update form sends when the user changes nothing: every current value again.
     *
     * @param row the bucket as stored
     * @return an update re-sending the row's values
     */
    public static BucketUpdate resending(BucketVO row) {
        return new BucketUpdate(row.isEncryption(), row.isVersioning(), row.getPolicy(), row.getQuota());
    }

    /**
     * @param on the encryption flag
     * @return a copy
     */
    public BucketUpdate withEncryption(Boolean on) {
        return new BucketUpdate(on, versioning, policy, quota);
    }

    /**
     * @param on the versioning flag
     * @return a copy
     */
    public BucketUpdate withVersioning(Boolean on) {
        return new BucketUpdate(encryption, on, policy, quota);
    }

    /**
     * @param text the policy text
     * @return a copy
     */
    public BucketUpdate withPolicy(String text) {
        return new BucketUpdate(encryption, versioning, text, quota);
    }

    /**
     * @param gib the quota in GiB
     * @return a copy
     */
    public BucketUpdate withQuota(Integer gib) {
        return new BucketUpdate(encryption, versioning, policy, gib);
    }
}
