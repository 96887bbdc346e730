package org.apache.cloudstack.storage.object;

import java.util.List;
import java.util.Map;

import com.amazonaws.services.s3.model.AccessControlList;
import com.amazonaws.services.s3.model.BucketPolicy;
import com.cloud.agent.api.to.BucketTO;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreDriver;

/** Stand-in for CloudStack's {@code ObjectStoreDriver} (main): exactly its 15 methods. */
public interface ObjectStoreDriver extends DataStoreDriver {
    /**
     * @param bucket the allocated bucket row
     * @param objectLock whether object lock is requested
     * @return the refreshed bucket row
     */
    Bucket createBucket(Bucket bucket, boolean objectLock);

    /**
     * @param storeId the store
     * @return the backend's buckets
     */
    List<Bucket> listBuckets(long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return whether it was deleted
     */
    boolean deleteBucket(BucketTO bucket, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return the bucket's ACL
     */
    AccessControlList getBucketAcl(BucketTO bucket, long storeId);

    /**
     * @param bucket the bucket
     * @param acl the ACL to set
     * @param storeId the store
     */
    void setBucketAcl(BucketTO bucket, AccessControlList acl, long storeId);

    /**
     * @param bucket the bucket
     * @param policyType the policy as sent to the API
     * @param storeId the store
     */
    void setBucketPolicy(BucketTO bucket, String policyType, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return the bucket's policy
     */
    BucketPolicy getBucketPolicy(BucketTO bucket, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     */
    void deleteBucketPolicy(BucketTO bucket, long storeId);

    /**
     * @param accountId the account
     * @param storeId the store
     * @return whether the user exists afterwards
     */
    boolean createUser(long accountId, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return the result (ignored by core)
     */
    boolean setBucketEncryption(BucketTO bucket, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return the result (ignored by core)
     */
    boolean deleteBucketEncryption(BucketTO bucket, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return the result (ignored by core)
     */
    boolean setBucketVersioning(BucketTO bucket, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return the result (ignored by core)
     */
    boolean deleteBucketVersioning(BucketTO bucket, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @param size the quota in GiB
     */
    void setBucketQuota(BucketTO bucket, long storeId, long size);

    /**
     * @param storeId the store
     * @return bytes used by bucket name
     */
    Map<String, Long> getAllBucketsUsage(long storeId);
}
