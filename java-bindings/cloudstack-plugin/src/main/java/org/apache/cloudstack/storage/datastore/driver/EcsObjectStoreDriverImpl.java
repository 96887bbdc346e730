package org.apache.cloudstack.storage.datastore.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;

import com.amazonaws.services.s3.model.AccessControlList;
import com.amazonaws.services.s3.model.BucketPolicy;
import com.cloud.agent.api.to.BucketCredentialTO;
import com.cloud.agent.api.to.BucketKeyTO;
import com.cloud.agent.api.to.BucketTO;
import com.cloud.agent.api.to.DataStoreTO;
import com.cloud.domain.DomainVO;
import com.cloud.domain.dao.DomainDao;
import com.cloud.projects.ProjectVO;
import com.cloud.projects.dao.ProjectDao;
import com.cloud.storage.BucketVO;
import com.cloud.storage.dao.BucketDao;
import com.cloud.user.AccountDetailsDao;
import com.cloud.user.AccountVO;
import com.cloud.user.dao.AccountDao;
import com.cloud.utils.exception.CloudRuntimeException;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.BucketSpec;
import io.ecscloudstack.ecs.BucketSummary;
import io.ecscloudstack.ecs.CreatedBucket;
import io.ecscloudstack.ecs.EcsObjectStore;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStore;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreDao;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreDetailsDao;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.object.BaseObjectStoreDriverImpl;
import org.apache.cloudstack.storage.object.Bucket;
import org.apache.cloudstack.storage.object.BucketCredentialsDriver;
import org.apache.cloudstack.storage.object.BucketObject;

/**
 * CloudStack's object-store driver for Dell ECS. Every operation is delegated to the Rust driver
 * through {@link EcsObjectStore}; this class only maps CloudStack's objects and tables:
 * <ul>
 *   <li>one {@link EcsObjectStore} per store id, rebuilt when the store's details change;</li>
 *   <li>each account's ECS credentials live in its account details under store-scoped keys
 *       ({@link AccountKeys}), merged, never replacing the account's other details;</li>
 *   <li>each call about an account or a bucket names the account's domain (bucket row → account
 *       → domain), which the driver maps to an ECS namespace in {@code tenancy=domain};</li>
 *   <li>{@code createBucket} writes the URL, the keys and the versioning the driver reports
 *       (on when object lock turned it on) into the bucket row and returns the refreshed row,
 *       so CloudStack's follow-up calls carry the keys and CloudStack shows versioning;</li>
 *   <li>every ECS failure becomes a {@link CloudRuntimeException} saying what failed and why.</li>
 * </ul>
 */
public class EcsObjectStoreDriverImpl extends BaseObjectStoreDriverImpl implements BucketCredentialsDriver {
    @Inject
    AccountDao _accountDao;
    @Inject
    AccountDetailsDao _accountDetailsDao;
    @Inject
    DomainDao _domainDao;
    @Inject
    ProjectDao _projectDao;
    @Inject
    ObjectStoreDao _storeDao;
    @Inject
    BucketDao _bucketDao;
    @Inject
    ObjectStoreDetailsDao _storeDetailsDao;

    private final StoreRegistry<StoreDetails, EcsObjectStore> stores =
            new StoreRegistry<>(d -> EcsObjectStore.open(d.url(), d.details()));

    /** The no-argument constructor {@code ComponentContext.inject} needs. */
    public EcsObjectStoreDriverImpl() {
    }

    /**
     * Logs every open store out of ECS and releases it, so a stopping management server leaves
     * no session behind (ECS caps live tokens per user). Later calls open the stores again.
     */
    public void close() {
        stores.closeAll();
    }

    /**
     * @param storeId a CloudStack store id
     * @return the open client for the store's current details
     * @throws CloudRuntimeException if the store is unknown or its details are invalid
     */
    EcsObjectStore store(long storeId) {
        ObjectStoreVO store = _storeDao.findById(storeId);
        if (store == null) {
            stores.evict(storeId);
            throw new CloudRuntimeException("ECS: object store " + storeId + " not found");
        }
        StoreDetails details = StoreDetails.of(_storeDetailsDao.getDetails(storeId), store.getUrl());
        return EcsCalls.call("open object store '" + store.getName() + "'", () -> stores.get(storeId, details));
    }

    /** @return the store's UUID, for the bucket's ownership tags (null when the row has none) */
    private String storeUuid(long storeId) {
        ObjectStoreVO store = _storeDao.findById(storeId);
        return store == null ? null : store.getUuid();
    }

    private AccountVO account(long accountId) {
        AccountVO account = _accountDao.findById(accountId);
        if (account == null) {
            throw new CloudRuntimeException("ECS: account " + accountId + " not found");
        }
        return account;
    }

    /** @return the UUID of the account's domain */
    private String domainUuid(AccountVO account) {
        DomainVO domain = _domainDao.findById(account.getDomainId());
        if (domain == null) {
            throw new CloudRuntimeException("ECS: domain " + account.getDomainId() + " of account "
                    + account.getUuid() + " not found");
        }
        return domain.getUuid();
    }

    /** @return the UUID of the project whose account this is, or null (not a project's account) */
    private String projectUuid(AccountVO account) {
        ProjectVO project = _projectDao.findByProjectAccountId(account.getId());
        return project == null ? null : project.getUuid();
    }

    /** @return the store's operations for the account's domain */
    private EcsObjectStore.InDomain store(long storeId, AccountVO account) {
        return store(storeId).forDomain(domainUuid(account));
    }

    /**
     * @return the store's operations for the domain of the bucket's account, found through the
     *     bucket's row (without one: no domain, which only {@code tenancy=shared} accepts)
     */
    private EcsObjectStore.InDomain store(long storeId, BucketTO bucket) {
        for (Bucket row : _bucketDao.listByObjectStoreId(storeId)) {
            if (row.getName().equals(bucket.getName())) {
                AccountVO owner = _accountDao.findById(row.getAccountId());
                if (owner != null) {
                    return store(storeId, owner);
                }
            }
        }
        return store(storeId).forDomain(null);
    }

    private AccountKeys keys() {
        return new AccountKeys(_accountDetailsDao);
    }

    @Override
    public DataStoreTO getStoreTO(DataStore store) {
        return null;
    }

    @Override
    public boolean createUser(long accountId, long storeId) {
        AccountVO account = account(accountId);
        AccountKeys keys = keys();
        AccountCredentials stored = keys.stored(accountId, storeId);
        AccountCredentials ensured = EcsCalls.call("provision the ECS user of account " + account.getUuid(),
                () -> store(storeId, account).ensureAccountUser(account.getUuid(), stored));
        keys.save(accountId, storeId, ensured);
        return true;
    }

    @Override
    public Bucket createBucket(Bucket bucket, boolean objectLock) {
        long storeId = bucket.getObjectStoreId();
        AccountVO account = account(bucket.getAccountId());
        AccountKeys keys = keys();
        BucketSpec spec = BucketSpec.builder(bucket.getName(), account.getUuid())
                .credentials(keys.stored(account.getId(), storeId))
                .quotaGib(bucket.getQuota() == null ? null : bucket.getQuota().longValue())
                .encryption(bucket.isEncryption())
                .versioning(bucket.isVersioning())
                .policy(bucket.getPolicy())
                .objectLock(objectLock)
                .ownership(storeUuid(storeId), domainUuid(account), projectUuid(account))
                .build();
        CreatedBucket created = EcsCalls.call("create bucket '" + bucket.getName() + "'",
                () -> store(storeId).createBucket(spec));
        keys.save(account.getId(), storeId, created.credentials());

        BucketVO row = _bucketDao.findById(bucket.getId());
        if (row == null) {
            // CloudStack cleans up only after createBucket returns: remove what we made ourselves.
            EcsCalls.run("remove bucket '" + bucket.getName() + "' whose row vanished",
                    () -> store(storeId, account).deleteBucket(bucket.getName()));
            throw new CloudRuntimeException("ECS: bucket '" + bucket.getName() + "' was created but its row "
                    + bucket.getId() + " is gone; the bucket was removed again");
        }
        row.setBucketURL(created.url());
        row.setAccessKey(created.credentials().userId());
        row.setSecretKey(created.credentials().secretKey());
        // Object lock turns versioning on for good: the row says what the driver answered.
        row.setVersioning(created.versioning());
        _bucketDao.update(row.getId(), row);
        logger.info("ECS: created bucket '{}' for account {} on store {}", bucket.getName(), account.getUuid(),
                storeId);
        return _bucketDao.findById(bucket.getId());
    }

    @Override
    public List<Bucket> listBuckets(long storeId) {
        List<BucketSummary> found = EcsCalls.call("list buckets", () -> store(storeId).listBuckets());
        List<Bucket> out = new ArrayList<>(found.size());
        for (BucketSummary summary : found) {
            BucketObject b = new BucketObject();
            b.setName(summary.name());
            out.add(b);
        }
        return out;
    }

    @Override
    public boolean deleteBucket(BucketTO bucket, long storeId) {
        EcsCalls.run("delete bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).deleteBucket(bucket.getName()));
        return true;
    }

    /** ECS bucket ACLs are not managed by this plug-in (CloudStack never calls this). */
    @Override
    public AccessControlList getBucketAcl(BucketTO bucket, long storeId) {
        return null;
    }

    /** ECS bucket ACLs are not managed by this plug-in (CloudStack never calls this). */
    @Override
    public void setBucketAcl(BucketTO bucket, AccessControlList acl, long storeId) {
        logger.debug("ECS: setBucketAcl on '{}' ignored: ACLs are not managed", bucket.getName());
    }

    @Override
    public void setBucketPolicy(BucketTO bucket, String policyType, long storeId) {
        EcsCalls.run("set the policy of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).setPolicy(bucket.getName(), policyType));
    }

    @Override
    public BucketPolicy getBucketPolicy(BucketTO bucket, long storeId) {
        String text = EcsCalls.call("read the policy of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).getPolicy(bucket.getName()));
        BucketPolicy policy = new BucketPolicy();
        policy.setPolicyText(text);
        return policy;
    }

    /**
     * Makes the bucket private: the driver removes the public grants and keeps any other
     * statements of the policy (CloudStack core never calls this method).
     */
    @Override
    public void deleteBucketPolicy(BucketTO bucket, long storeId) {
        EcsCalls.run("remove the policy of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).setPolicy(bucket.getName(), "private"));
    }

    @Override
    public boolean setBucketEncryption(BucketTO bucket, long storeId) {
        EcsCalls.run("enable encryption of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).setEncryption(bucket.getName(), true));
        return true;
    }

    @Override
    public boolean deleteBucketEncryption(BucketTO bucket, long storeId) {
        EcsCalls.run("disable encryption of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).setEncryption(bucket.getName(), false));
        return true;
    }

    @Override
    public boolean setBucketVersioning(BucketTO bucket, long storeId) {
        EcsCalls.run("enable versioning of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).setVersioning(bucket.getName(), true));
        return true;
    }

    @Override
    public boolean deleteBucketVersioning(BucketTO bucket, long storeId) {
        EcsCalls.run("suspend versioning of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).setVersioning(bucket.getName(), false));
        return true;
    }

    @Override
    public void setBucketQuota(BucketTO bucket, long storeId, long size) {
        EcsCalls.run("set the quota of bucket '" + bucket.getName() + "' to " + size + " GiB",
                () -> store(storeId, bucket).setQuota(bucket.getName(), size));
    }

    @Override
    public Map<String, Long> getAllBucketsUsage(long storeId) {
        return EcsCalls.call("read bucket usage", () -> store(storeId).usage());
    }

    // ---- Per-bucket credentials: the extension ahead of CloudStack (PR #14170), see
    // ---- BucketCredentialsDriver. Each method converts and delegates; the Rust driver decides.

    @Override
    public boolean supportsBucketCredentials(long storeId) {
        return bucketCredentialsUnsupportedReason(storeId) == null;
    }

    @Override
    public String bucketCredentialsUnsupportedReason(long storeId) {
        return EcsCalls.call("read whether buckets can have their own credentials",
                () -> store(storeId).bucketCredentialsUnsupportedReason());
    }

    @Override
    public boolean accountSupportsBucketCredentials(long accountId, long storeId) {
        AccountVO account = account(accountId);
        return EcsCalls.call("read the per-bucket credential state of account " + account.getUuid(),
                () -> store(storeId, account).accountSupportsBucketCredentials(account.getUuid()));
    }

    @Override
    public boolean migrateAccountForBucketCredentials(long accountId, long storeId) {
        AccountVO account = account(accountId);
        EcsCalls.run("move account " + account.getUuid() + " onto per-bucket credentials",
                () -> store(storeId, account).migrateAccountForBucketCredentials(account.getUuid()));
        return true;
    }

    @Override
    public BucketCredentialTO createBucketCredential(BucketTO bucket, long storeId) {
        AccountCredentials key = EcsCalls.call("create the credential of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).createBucketCredential(bucket.getName()));
        return new BucketCredentialTO(key.userId(), List.of(new BucketKeyTO(key.userId(), key.secretKey())));
    }

    @Override
    public BucketKeyTO createBucketCredentialKey(BucketTO bucket, long storeId, Set<String> knownAccessKeys) {
        AccountCredentials key = EcsCalls.call("add a key to the credential of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).createBucketCredentialKey(bucket.getName()));
        return new BucketKeyTO(key.userId(), key.secretKey());
    }

    @Override
    public boolean removeBucketCredentialKey(BucketTO bucket, long storeId, String accessKey) {
        EcsCalls.run("remove a key of the credential of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).removeBucketCredentialKey(bucket.getName(), accessKey));
        return true;
    }

    @Override
    public boolean deleteBucketCredential(BucketTO bucket, long storeId) {
        EcsCalls.run("remove the credential of bucket '" + bucket.getName() + "'",
                () -> store(storeId, bucket).deleteBucketCredential(bucket.getName()));
        return true;
    }

    @Override
    public BucketKeyTO rotateAccountKey(long accountId, long storeId) {
        AccountVO account = account(accountId);
        AccountCredentials rotated = EcsCalls.call("rotate the key of account " + account.getUuid(),
                () -> store(storeId, account).rotateMigratedAccountKey(account.getUuid()));
        keys().save(accountId, storeId, rotated);
        return new BucketKeyTO(rotated.userId(), rotated.secretKey());
    }

    @Override
    public boolean isAccountKeyRotationPending(long accountId, long storeId) {
        AccountVO account = account(accountId);
        return EcsCalls.call("read whether account " + account.getUuid() + " waits for a key rotation",
                () -> store(storeId, account).isAccountKeyRotationPending(account.getUuid()));
    }
}
