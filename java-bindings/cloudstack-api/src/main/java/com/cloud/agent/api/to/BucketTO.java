package com.cloud.agent.api.to;

import org.apache.cloudstack.storage.object.Bucket;

/** Stand-in for CloudStack's {@code BucketTO} (main): name and keys, no id, account or store. */
public final class BucketTO {
    private String name;
    private String accessKey;
    private String secretKey;

    /** @param bucket the bucket whose name and keys are copied */
    public BucketTO(Bucket bucket) {
        this.name = bucket.getName();
        this.accessKey = bucket.getAccessKey();
        this.secretKey = bucket.getSecretKey();
    }

    /** @param name the bucket's name (no keys) */
    public BucketTO(String name) {
        this.name = name;
    }

    /** @return the bucket's name */
    public String getName() {
        return this.name;
    }

    /** @return the access key, or null */
    public String getAccessKey() {
        return this.accessKey;
    }

    /** @return the secret key, or null */
    public String getSecretKey() {
        return this.secretKey;
    }
}
