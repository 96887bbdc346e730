package io.ecscloudstack.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.cloud.agent.api.to.BucketCredentialTO;
import com.cloud.agent.api.to.BucketKeyTO;
import com.cloud.agent.api.to.BucketTO;
import com.cloud.exception.InvalidParameterValueException;
import com.cloud.storage.BucketVO;
import com.cloud.utils.exception.CloudRuntimeException;
import io.ecscloudstack.harness.dao.InMemoryBucketDao;
import org.apache.cloudstack.storage.object.Bucket;
import org.apache.cloudstack.storage.object.BucketCredentialsDriver;

/**
 * <b>Ahead of CloudStack</b>: the call sequences of apache/cloudstack PR #14170 (per-bucket
 * credentials and key rotation, not merged) as its {@code BucketApiServiceImpl} makes them, for
 * drivers implementing {@link BucketCredentialsDriver}: provisioning a bucket's credential inside
 * the create job, {@code rotateBucketKey}, {@code revokeBucketKey}, {@code migrateBucketCredential},
 * {@code migrateObjectStoreAccount}, {@code rotateObjectStoreAccountKey} and the credential's
 * removal with its bucket. The PR's {@code bucket_credential} and {@code bucket_credential_key}
 * tables are kept in memory here ({@link #credential}); the bucket row mirrors the newest active
 * key as in the PR. Access checks, locks and events are left out, as elsewhere in the harness.
 */
public final class BucketCredentialFlows {
    /** Slot one. */
    public static final int SLOT_ONE = 1;
    /** Slot two. */
    public static final int SLOT_TWO = 2;

    /**
     * One key row.
     *
     * @param slot its slot (1 or 2)
     * @param accessKey the access key
     * @param secretKey the secret key, {@code null} once revoked
     * @param active whether it is active (else revoked)
     * @param created creation order
     */
    public record Key(int slot, String accessKey, String secretKey, boolean active, long created) {
    }

    /**
     * A bucket's credential row and its key rows.
     *
     * @param bucketId the bucket
     * @param providerCredentialId the driver's id of the identity
     * @param slots the key rows by slot
     */
    public record Credential(long bucketId, String providerCredentialId, Map<Integer, Key> slots) {
        /** @return the active keys */
        public List<Key> activeKeys() {
            List<Key> out = new ArrayList<>();
            for (Key k : slots.values()) {
                if (k.active()) {
                    out.add(k);
                }
            }
            return out;
        }
    }

    private final CloudStackHarness harness;
    private final InMemoryBucketDao bucketDao;
    private final Map<Long, Credential> credentials = new ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong();

    BucketCredentialFlows(CloudStackHarness harness, InMemoryBucketDao bucketDao) {
        this.harness = harness;
        this.bucketDao = bucketDao;
    }

    /** @param bucketId a bucket @return its credential, or {@code null} while it uses the account key */
    public Credential credential(long bucketId) {
        Credential c = credentials.get(bucketId);
        return c == null ? null : new Credential(c.bucketId(), c.providerCredentialId(),
                Collections.unmodifiableMap(new TreeMap<>(c.slots())));
    }

    /**
     * @param storeId a store
     * @return its driver's extension, or {@code null} when the driver does not implement it
     */
    public BucketCredentialsDriver driver(long storeId) {
        return harness.driverFor(storeId) instanceof BucketCredentialsDriver d ? d : null;
    }

    private BucketCredentialsDriver required(long storeId) {
        BucketCredentialsDriver d = driver(storeId);
        if (d == null) {
            throw new InvalidParameterValueException("The object store does not support per-bucket credentials");
        }
        return d;
    }

    /** PR: {@code isPerBucketCredentialsEnabled}, asked by the create job after the driver's createBucket. */
    boolean enabledFor(Bucket bucket) {
        BucketCredentialsDriver d = driver(bucket.getObjectStoreId());
        return d != null && d.accountSupportsBucketCredentials(bucket.getAccountId(), bucket.getObjectStoreId());
    }

    /** PR: {@code provisionBucketCredential}: create, record slot one, mirror onto the bucket row. */
    void provision(Bucket bucket) {
        BucketCredentialsDriver d = required(bucket.getObjectStoreId());
        BucketVO row = bucketDao.findById(bucket.getId());
        BucketCredentialTO to = d.createBucketCredential(new BucketTO(row), bucket.getObjectStoreId());
        if (to == null || to.getKeys() == null || to.getKeys().isEmpty()) {
            throw new CloudRuntimeException("Object store returned no credential for bucket " + bucket.getName());
        }
        BucketKeyTO first = to.getKeys().get(0);
        Map<Integer, Key> slots = new TreeMap<>();
        slots.put(SLOT_ONE, new Key(SLOT_ONE, first.getAccessKey(), first.getSecretKey(), true, clock.incrementAndGet()));
        credentials.put(bucket.getId(), new Credential(bucket.getId(), to.getProviderCredentialId(), slots));
        mirror(bucket.getId());
    }

    /** PR: {@code removeBucketCredential}; a failure is raised only when {@code propagate}. */
    void remove(Bucket bucket, BucketTO to, boolean propagate) {
        Credential c = credentials.get(bucket.getId());
        if (c == null) {
            return;
        }
        try {
            required(bucket.getObjectStoreId()).deleteBucketCredential(to, bucket.getObjectStoreId());
        } catch (RuntimeException e) {
            if (propagate) {
                throw e;
            }
        }
        credentials.remove(bucket.getId());
    }

    /**
     * {@code migrateBucketCredential}: a Created bucket of a migrated account gets its own credential.
     *
     * @param bucketId the bucket
     * @return the bucket row afterwards
     */
    public BucketVO migrateBucketCredential(long bucketId) {
        BucketVO bucket = bucket(bucketId);
        if (bucket.getState() != Bucket.State.Created) {
            throw new InvalidParameterValueException("Bucket " + bucket.getName() + " is not in the Created state");
        }
        if (credentials.containsKey(bucketId)) {
            throw new InvalidParameterValueException("Bucket " + bucket.getName() + " already has a dedicated credential");
        }
        BucketCredentialsDriver d = required(bucket.getObjectStoreId());
        if (!d.supportsBucketCredentials(bucket.getObjectStoreId())) {
            throw new InvalidParameterValueException("The object store hosting bucket " + bucket.getName()
                    + " does not support per-bucket credentials");
        }
        if (!d.accountSupportsBucketCredentials(bucket.getAccountId(), bucket.getObjectStoreId())) {
            throw new InvalidParameterValueException("The account owning bucket " + bucket.getName()
                    + " has not been migrated to per-bucket credentials on this object store yet");
        }
        provision(bucket);
        return bucketDao.findById(bucketId);
    }

    /**
     * {@code migrateObjectStoreAccount} (as a root admin, who is shown the driver's reason).
     *
     * @param accountId the account
     * @param storeId the store
     * @return the driver's answer
     */
    public boolean migrateObjectStoreAccount(long accountId, long storeId) {
        BucketCredentialsDriver d = required(storeId);
        if (!d.supportsBucketCredentials(storeId)) {
            String reason = d.bucketCredentialsUnsupportedReason(storeId);
            throw new InvalidParameterValueException("Object store " + storeId + " does not support per-bucket credentials"
                    + (reason != null ? ": " + reason : ". Contact your platform administrator"));
        }
        return d.migrateAccountForBucketCredentials(accountId, storeId);
    }

    /**
     * {@code rotateObjectStoreAccountKey}: refused while a bucket of the account still uses the
     * account key.
     *
     * @param accountId the account
     * @param storeId the store
     * @return true when rotated
     */
    public boolean rotateObjectStoreAccountKey(long accountId, long storeId) {
        BucketCredentialsDriver d = required(storeId);
        if (!d.accountSupportsBucketCredentials(accountId, storeId)) {
            throw new InvalidParameterValueException("Account " + accountId
                    + " has not been migrated to per-bucket credentials on object store " + storeId + " yet");
        }
        List<String> legacy = new ArrayList<>();
        for (BucketVO b : bucketDao.listByObjectStoreIdAndAccountId(storeId, accountId)) {
            if (!credentials.containsKey(b.getId())) {
                legacy.add(b.getName());
            }
        }
        if (!legacy.isEmpty()) {
            throw new InvalidParameterValueException("Cannot rotate the account key yet: " + legacy.size()
                    + " bucket(s) still use it (" + String.join(", ", legacy) + ")");
        }
        d.rotateAccountKey(accountId, storeId);
        return true;
    }

    /**
     * {@code rotateBucketKey}: a free slot gets a new key first; with both slots active the
     * named slot is removed first (identities are commonly limited to two keys).
     *
     * @param bucketId the bucket
     * @param requestedSlot the slot, or {@code null} for the first free one
     * @return the new key row
     */
    public Key rotateBucketKey(long bucketId, Integer requestedSlot) {
        BucketVO bucket = bucket(bucketId);
        Credential c = requiredCredential(bucket);
        BucketCredentialsDriver d = required(bucket.getObjectStoreId());
        BucketTO to = new BucketTO(bucket);
        int slot = resolveSlot(requestedSlot, c);
        Key target = c.slots().get(slot);
        Key other = c.slots().get(slot == SLOT_ONE ? SLOT_TWO : SLOT_ONE);
        boolean targetActive = target != null && target.active();
        boolean otherActive = other != null && other.active();
        String oldAccessKey = targetActive ? target.accessKey() : null;
        if (targetActive && otherActive) {
            d.removeBucketCredentialKey(to, bucket.getObjectStoreId(), oldAccessKey);
            revoke(c, slot);
            mirror(bucketId);
            oldAccessKey = null;
        }
        Set<String> known = new HashSet<>();
        for (Key k : c.activeKeys()) {
            known.add(k.accessKey());
        }
        BucketKeyTO created = d.createBucketCredentialKey(to, bucket.getObjectStoreId(), known);
        Key row = new Key(slot, created.getAccessKey(), created.getSecretKey(), true, clock.incrementAndGet());
        c.slots().put(slot, row);
        mirror(bucketId);
        if (oldAccessKey != null) {
            d.removeBucketCredentialKey(to, bucket.getObjectStoreId(), oldAccessKey);
        }
        return row;
    }

    /**
     * {@code revokeBucketKey}: refused for an inactive slot or the only active key.
     *
     * @param bucketId the bucket
     * @param slot the slot
     * @return true when revoked
     */
    public boolean revokeBucketKey(long bucketId, int slot) {
        BucketVO bucket = bucket(bucketId);
        Credential c = requiredCredential(bucket);
        Key target = c.slots().get(slot);
        if (target == null || !target.active()) {
            throw new InvalidParameterValueException("Key slot " + slot + " of bucket " + bucket.getName()
                    + " holds no active key");
        }
        if (c.activeKeys().size() <= 1) {
            throw new InvalidParameterValueException("Key slot " + slot + " holds the only active key of bucket "
                    + bucket.getName());
        }
        required(bucket.getObjectStoreId()).removeBucketCredentialKey(new BucketTO(bucket),
                bucket.getObjectStoreId(), target.accessKey());
        revoke(c, slot);
        mirror(bucketId);
        return true;
    }

    private static int resolveSlot(Integer requested, Credential c) {
        if (requested != null) {
            if (requested != SLOT_ONE && requested != SLOT_TWO) {
                throw new InvalidParameterValueException("Key slot must be 1 or 2");
            }
            return requested;
        }
        for (int slot : new int[] {SLOT_ONE, SLOT_TWO}) {
            Key k = c.slots().get(slot);
            if (k == null || !k.active()) {
                return slot;
            }
        }
        throw new InvalidParameterValueException("Both key slots hold active keys; specify the slot to rotate");
    }

    private static void revoke(Credential c, int slot) {
        Key k = c.slots().get(slot);
        c.slots().put(slot, new Key(slot, k.accessKey(), null, false, k.created()));
    }

    /** PR: {@code updateBucketKeyMirror}: the bucket row shows the newest active key. */
    private void mirror(long bucketId) {
        Credential c = credentials.get(bucketId);
        Key newest = null;
        for (Key k : c.activeKeys()) {
            if (newest == null || k.created() > newest.created()) {
                newest = k;
            }
        }
        if (newest == null) {
            throw new CloudRuntimeException("Bucket " + bucketId + " has no active key left");
        }
        BucketVO row = bucketDao.findById(bucketId);
        row.setAccessKey(newest.accessKey());
        row.setSecretKey(newest.secretKey());
        bucketDao.update(bucketId, row);
    }

    private BucketVO bucket(long bucketId) {
        BucketVO bucket = bucketDao.findById(bucketId);
        if (bucket == null) {
            throw new InvalidParameterValueException("Unable to find bucket with ID: " + bucketId);
        }
        return bucket;
    }

    private Credential requiredCredential(BucketVO bucket) {
        Credential c = credentials.get(bucket.getId());
        if (c == null) {
            throw new InvalidParameterValueException("Bucket " + bucket.getName()
                    + " still uses the account key. Move it to a per-bucket credential first");
        }
        return c;
    }
}
