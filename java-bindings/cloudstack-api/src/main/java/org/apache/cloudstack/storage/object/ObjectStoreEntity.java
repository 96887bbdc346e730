package org.apache.cloudstack.storage.object;

import java.util.List;
import java.util.Map;

import com.cloud.agent.api.to.BucketTO;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStore;

/** Stand-in for CloudStack's {@code ObjectStoreEntity}: what core services call. */
public interface ObjectStoreEntity extends DataStore, ObjectStore {
    /**
     * @param bucket the allocated bucket row
     * @param objectLock whether object lock is requested
     * @return the bucket as the driver returned it
     */
    Bucket createBucket(Bucket bucket, boolean objectLock);

    /** @return the backend's buckets */
    List<Bucket> listBuckets();

    /**
     * @param accountId the account
     * @return whether the user exists afterwards
     */
    boolean createUser(long accountId);

    /**
     * @param bucket the bucket
     * @return whether it was deleted
     */
    boolean deleteBucket(BucketTO bucket);

    /**
     * @param bucket the bucket
     * @return the driver's result (ignored by core)
     */
    boolean setBucketEncryption(BucketTO bucket);

    /**
     * @param bucket the bucket
     * @return the driver's result (ignored by core)
     */
    boolean deleteBucketEncryption(BucketTO bucket);

    /**
     * @param bucket the bucket
     * @return the driver's result (ignored by core)
     */
    boolean setBucketVersioning(BucketTO bucket);

    /**
     * @param bucket the bucket
     * @return the driver's result (ignored by core)
     */
    boolean deleteBucketVersioning(BucketTO bucket);

    /**
     * @param bucket the bucket
     * @param policy the policy as sent to the API
     */
    void setBucketPolicy(BucketTO bucket, String policy);

    /**
     * @param bucket the bucket
     * @param quota the quota in GiB
     */
    void setQuota(BucketTO bucket, int quota);

    /** @return bytes used by bucket name */
    Map<String, Long> getAllBucketsUsage();
}
