package org.apache.cloudstack.storage.object;

import java.util.Set;

import com.cloud.agent.api.to.BucketCredentialTO;
import com.cloud.agent.api.to.BucketKeyTO;
import com.cloud.agent.api.to.BucketTO;

/**
 * <b>Extension ahead of CloudStack, not in any release.</b> The ten driver methods that
 * apache/cloudstack PR #14170 (per-bucket credentials and key rotation, issue #14167, design
 * PR #14053) adds to {@link ObjectStoreDriver}, with the same names and signatures.
 *
 * <p>Kept apart from the {@link ObjectStoreDriver} stand-in, which declares exactly what
 * CloudStack releases declare: a driver implementing this interface links against today's
 * CloudStack (these methods are plain methods nobody calls, and the two transfer types are only
 * named in their signatures), and once CloudStack's {@code ObjectStoreDriver} declares them the
 * same methods override it. CloudStack's harness calls them through this interface.
 */
public interface BucketCredentialsDriver {
    /** @param storeId the store @return whether the store can give buckets their own credential */
    boolean supportsBucketCredentials(long storeId);

    /**
     * @param storeId the store
     * @return why the store cannot, for an administrator; {@code null} when it can or has nothing to add
     */
    default String bucketCredentialsUnsupportedReason(long storeId) {
        return null;
    }

    /**
     * @param accountId the account
     * @param storeId the store
     * @return whether new buckets of the account get their own credential now
     */
    boolean accountSupportsBucketCredentials(long accountId, long storeId);

    /**
     * Explicit migration of the account's backend identity for per-bucket credentials. Idempotent.
     *
     * @param accountId the account
     * @param storeId the store
     * @return true when done
     */
    boolean migrateAccountForBucketCredentials(long accountId, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return the bucket's new identity with its initial key (idempotent on the backend)
     */
    BucketCredentialTO createBucketCredential(BucketTO bucket, long storeId);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @param knownAccessKeys access keys CloudStack already tracks
     * @return exactly the new key pair
     */
    BucketKeyTO createBucketCredentialKey(BucketTO bucket, long storeId, Set<String> knownAccessKeys);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @param accessKey the key to remove; not found counts as success
     * @return true when removed
     */
    boolean removeBucketCredentialKey(BucketTO bucket, long storeId, String accessKey);

    /**
     * @param bucket the bucket
     * @param storeId the store
     * @return true when the identity is gone (not found counts as success)
     */
    boolean deleteBucketCredential(BucketTO bucket, long storeId);

    /**
     * @param accountId the account
     * @param storeId the store
     * @return the account's new key pair; the old one is revoked on the backend
     */
    BucketKeyTO rotateAccountKey(long accountId, long storeId);

    /**
     * @param accountId the account
     * @param storeId the store
     * @return whether the migrated account's adopted key has not been rotated away yet
     */
    boolean isAccountKeyRotationPending(long accountId, long storeId);
}
