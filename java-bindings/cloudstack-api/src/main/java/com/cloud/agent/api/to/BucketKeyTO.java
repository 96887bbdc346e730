package com.cloud.agent.api.to;

/**
 * <b>Ahead of CloudStack</b> (apache/cloudstack PR #14170, not in a release): stand-in for the
 * key pair a driver returns when it creates a bucket credential's key or rotates an account key.
 * Part of the extension described by
 * {@link org.apache.cloudstack.storage.object.BucketCredentialsDriver}.
 */
public final class BucketKeyTO {
    private final String accessKey;
    private final String secretKey;

    /**
     * @param accessKey the access key id
     * @param secretKey the secret key
     */
    public BucketKeyTO(String accessKey, String secretKey) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** @return the access key id */
    public String getAccessKey() {
        return accessKey;
    }

    /** @return the secret key */
    public String getSecretKey() {
        return secretKey;
    }
}
