package com.cloud.storage;

import java.util.Date;
import java.util.UUID;

import org.apache.cloudstack.storage.object.Bucket;

/**
 * Stand-in for CloudStack's {@code BucketVO} (table {@code bucket}, main). Like the real entity,
 * {@code id}, {@code accountId}, {@code domainId}, {@code objectStoreId}, {@code created} and
 * {@code removed} have no setters: the database (or a harness, by reflection) fills them.
 */
public class BucketVO implements Bucket {
    private static final long serialVersionUID = 1L;

    private long id;
    long accountId;
    long domainId;
    long objectStoreId;
    String name;
    private State state;
    Long size;
    Integer quota;
    boolean versioning;
    boolean encryption;
    boolean objectLock;
    String policy;
    String bucketURL;
    String accessKey;
    String secretKey;
    Date created;
    Date removed;
    String uuid;

    /** Creates an empty row with a random UUID. */
    public BucketVO() {
        this.uuid = UUID.randomUUID().toString();
    }

    /** @param name the bucket's name; the row is Allocated */
    public BucketVO(String name) {
        this.uuid = UUID.randomUUID().toString();
        this.name = name;
        this.state = State.Allocated;
    }

    /**
     * The constructor {@code allocBucket} uses: state Allocated, a random UUID, size 0.
     *
     * @param accountId the owner
     * @param domainId the owner's domain
     * @param objectStoreId the store
     * @param name the bucket's name
     * @param quota the quota in GiB, or null
     * @param versioning whether versioning is requested
     * @param encryption whether encryption is requested
     * @param objectLock whether object lock is requested
     * @param policy the policy as sent, or null
     */
    public BucketVO(long accountId, long domainId, long objectStoreId, String name, Integer quota,
            boolean versioning, boolean encryption, boolean objectLock, String policy) {
        this.accountId = accountId;
        this.domainId = domainId;
        this.objectStoreId = objectStoreId;
        this.name = name;
        this.state = State.Allocated;
        this.uuid = UUID.randomUUID().toString();
        this.quota = quota;
        this.versioning = versioning;
        this.encryption = encryption;
        this.objectLock = objectLock;
        this.policy = policy;
        this.size = 0L;
    }

    @Override
    public long getId() {
        return this.id;
    }

    @Override
    public long getAccountId() {
        return this.accountId;
    }

    @Override
    public long getDomainId() {
        return this.domainId;
    }

    @Override
    public long getObjectStoreId() {
        return this.objectStoreId;
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public State getState() {
        return this.state;
    }

    /** @param state the new state */
    public void setState(State state) {
        this.state = state;
    }

    @Override
    public Long getSize() {
        return this.size;
    }

    /** @param size bytes used */
    public void setSize(Long size) {
        this.size = size;
    }

    @Override
    public Integer getQuota() {
        return this.quota;
    }

    /** @param quota the quota in GiB */
    public void setQuota(Integer quota) {
        this.quota = quota;
    }

    @Override
    public boolean isVersioning() {
        return this.versioning;
    }

    /** @param versioning whether versioning is on */
    public void setVersioning(boolean versioning) {
        this.versioning = versioning;
    }

    @Override
    public boolean isEncryption() {
        return this.encryption;
    }

    /** @param encryption whether encryption is on */
    public void setEncryption(boolean encryption) {
        this.encryption = encryption;
    }

    @Override
    public boolean isObjectLock() {
        return this.objectLock;
    }

    /** @param objectLock whether object lock is on */
    public void setObjectLock(boolean objectLock) {
        this.objectLock = objectLock;
    }

    @Override
    public String getPolicy() {
        return this.policy;
    }

    /** @param policy the policy as sent */
    public void setPolicy(String policy) {
        this.policy = policy;
    }

    @Override
    public String getBucketURL() {
        return this.bucketURL;
    }

    /** @param bucketURL the bucket's URL */
    public void setBucketURL(String bucketURL) {
        this.bucketURL = bucketURL;
    }

    @Override
    public String getAccessKey() {
        return this.accessKey;
    }

    /** @param accessKey the access key */
    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    @Override
    public String getSecretKey() {
        return this.secretKey;
    }

    /** @param secretKey the secret key */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    @Override
    public Date getCreated() {
        return this.created;
    }

    /** @return when the row was soft-deleted, or null */
    public Date getRemoved() {
        return this.removed;
    }

    @Override
    public String getUuid() {
        return this.uuid;
    }

    /** @param uuid the public UUID */
    public void setUuid(String uuid) {
        this.uuid = uuid;
    }

    @Override
    public Class<?> getEntityType() {
        return Bucket.class;
    }

    @Override
    public String toString() {
        return String.format("Bucket {\"id\": %d, \"name\": \"%s\", \"uuid\": \"%s\"}", id, name, uuid);
    }
}
