package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.cloud.exception.InvalidParameterValueException;
import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.EcsException;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.harness.BucketCredentialFlows;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-bucket credentials through the plug-in, following the call sequences of
 * apache/cloudstack PR #14170's {@code BucketApiServiceImpl} (replayed by the harness's
 * {@link BucketCredentialFlows}) against a live ecs-sim: migrate the account, create a bucket
 * (its credential provisioned in the create job), move an older bucket, rotate and revoke keys,
 * rotate the account key, delete. Access is checked on ECS with the keys CloudStack holds.
 */
class BucketCredentialsLiveTest {
    private static EcsSimProcess sim;
    private static EcsObjectStore direct;

    private CloudStackHarness cs;
    private BucketCredentialFlows flows;
    private long storeId;
    private AccountVO owner;

    @BeforeAll
    static void startSim() throws Exception {
        sim = EcsSimProcess.start();
        direct = EcsObjectStore.open(sim.details());
    }

    @AfterAll
    static void stopSim() throws Exception {
        if (direct != null) {
            direct.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @BeforeEach
    void addStore() {
        cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        flows = cs.bucketCredentials();
        StepReport<ObjectStoreVO> added = cs.addObjectStore("ECS", "ecs-" + System.nanoTime(), sim.s3Url(),
                sim.details());
        assertTrue(added.succeeded(), added.summary());
        storeId = added.value().getId();
        owner = cs.createAccount("owner");
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    private static AccountCredentials keysOf(BucketVO row) {
        return new AccountCredentials(row.getAccessKey(), row.getSecretKey());
    }

    private static boolean canWrite(AccountCredentials keys, String bucket) {
        try {
            direct.putObject(keys, bucket, "probe", "x".getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (EcsException e) {
            return false;
        }
    }

    private BucketVO create(String name) {
        StepReport<BucketVO> r = cs.createBucket(BucketRequest.of(storeId, owner.getId(), name).withQuota(1)
                .withPolicy("private"));
        assertTrue(r.succeeded(), r.summary());
        return r.value();
    }

    @Test
    void theWholeMoveOntoPerBucketCredentials() {
        assertNotNull(flows.driver(storeId), "the plug-in implements the extension");
        // Before the move: today's behaviour, one shared account key.
        BucketVO legacy = create(unique("legacy"));
        assertNull(flows.credential(legacy.getId()));
        AccountCredentials accountKey = keysOf(legacy);

        // Rotating the account key is refused before the migration, then while a bucket uses it.
        assertThrows(InvalidParameterValueException.class,
                () -> flows.rotateObjectStoreAccountKey(owner.getId(), storeId));
        assertTrue(flows.migrateObjectStoreAccount(owner.getId(), storeId));
        assertTrue(flows.migrateObjectStoreAccount(owner.getId(), storeId), "idempotent");
        assertTrue(flows.driver(storeId).isAccountKeyRotationPending(owner.getId(), storeId));
        InvalidParameterValueException early = assertThrows(InvalidParameterValueException.class,
                () -> flows.rotateObjectStoreAccountKey(owner.getId(), storeId));
        assertTrue(early.getMessage().contains(legacy.getName()), early.getMessage());

        // A new bucket gets its own credential in the create job; it reaches that bucket only.
        BucketVO fresh = create(unique("fresh"));
        BucketCredentialFlows.Credential credential = flows.credential(fresh.getId());
        assertNotNull(credential);
        assertEquals("cs-bucket-" + fresh.getName(), credential.providerCredentialId());
        AccountCredentials freshKey = keysOf(fresh);
        assertEquals(credential.providerCredentialId(), freshKey.userId());
        assertTrue(canWrite(freshKey, fresh.getName()));
        assertFalse(canWrite(freshKey, legacy.getName()));

        // The older bucket moves over; then the account key can be rotated away.
        BucketVO moved = flows.migrateBucketCredential(legacy.getId());
        assertNotEquals(accountKey.userId(), moved.getAccessKey());
        assertTrue(canWrite(keysOf(moved), legacy.getName()));
        assertTrue(flows.rotateObjectStoreAccountKey(owner.getId(), storeId));
        assertFalse(flows.driver(storeId).isAccountKeyRotationPending(owner.getId(), storeId));
        assertFalse(canWrite(accountKey, legacy.getName()), "the old account key no longer works");

        // The rows ecsctl drift reads name both buckets and their account.
        String rows = cs.driftRows(storeId);
        String rootDomain = cs.domainDao().findById(owner.getDomainId()).getUuid();
        assertTrue(rows.startsWith("{\"accounts\":[{\"uuid\":\"" + owner.getUuid() + "\",\"removed\":false,\"domain_uuid\":\""
                + rootDomain + "\"}"), rows);
        assertTrue(rows.contains("{\"name\":\"" + fresh.getName() + "\",\"account_uuid\":\"" + owner.getUuid() + "\"}"),
                rows);

        // Deleting the bucket removes its credential too.
        direct.deleteObject(freshKey, fresh.getName(), "probe");
        assertTrue(cs.deleteBucket(fresh.getId()).succeeded());
        assertNull(flows.credential(fresh.getId()));
        assertThrows(EcsException.class, () -> direct.createBucketCredentialKey(fresh.getName()));
    }

    @Test
    void keysRotateIntoTheFreeSlotAndTheOlderIsRevoked() {
        flows.migrateObjectStoreAccount(owner.getId(), storeId);
        BucketVO bucket = create(unique("keys"));
        AccountCredentials first = keysOf(bucket);

        // Rotation into the free slot: the new key comes first, the old one keeps working.
        BucketCredentialFlows.Key second = flows.rotateBucketKey(bucket.getId(), null);
        assertEquals(BucketCredentialFlows.SLOT_TWO, second.slot());
        AccountCredentials secondKey = new AccountCredentials(second.accessKey(), second.secretKey());
        assertEquals(second.secretKey(), cs.bucketDao().findById(bucket.getId()).getSecretKey(), "mirror");
        assertTrue(canWrite(first, bucket.getName()));
        assertTrue(canWrite(secondKey, bucket.getName()));

        // Both active and no slot named: CloudStack refuses; revoking slot one (the older) works.
        assertThrows(InvalidParameterValueException.class, () -> flows.rotateBucketKey(bucket.getId(), null));
        assertTrue(flows.revokeBucketKey(bucket.getId(), BucketCredentialFlows.SLOT_ONE));
        assertFalse(canWrite(first, bucket.getName()));
        assertTrue(canWrite(secondKey, bucket.getName()));
        assertThrows(InvalidParameterValueException.class,
                () -> flows.revokeBucketKey(bucket.getId(), BucketCredentialFlows.SLOT_TWO), "the only key");

        // The freed slot one takes the next key.
        BucketCredentialFlows.Key third = flows.rotateBucketKey(bucket.getId(), null);
        assertEquals(BucketCredentialFlows.SLOT_ONE, third.slot());
        assertTrue(canWrite(new AccountCredentials(third.accessKey(), third.secretKey()), bucket.getName()));
    }

    @Test
    void bucketsCarryTheStoreAndAccountAsTags() throws Exception {
        BucketVO bucket = create(unique("tags"));
        String store = cs.objectStoreDao().findById(storeId).getUuid();
        EcsMgmtApi api = EcsMgmtApi.login(sim.details().get("mgmt_url"), "root", "ChangeMe");
        String info = api.bucketInfo(bucket.getName(), sim.details().get("namespace"));
        assertTrue(info.contains("cloudstack:store") && info.contains(store), info);
        assertTrue(info.contains("cloudstack:account") && info.contains(owner.getUuid()), info);
    }

    @Test
    void aStoreWithThemTurnedOffSaysWhy() {
        Map<String, String> off = new LinkedHashMap<>(sim.details());
        off.put("bucket_credentials", "off");
        off.put("s3_private_url", sim.s3Url());
        off.put("s3_public_url", "https://off-" + System.nanoTime() + ".example.com");
        StepReport<ObjectStoreVO> added = cs.addObjectStore("ECS", "off-" + System.nanoTime(),
                off.get("s3_public_url"), off);
        assertTrue(added.succeeded(), added.summary());
        long offStore = added.value().getId();
        assertFalse(flows.driver(offStore).supportsBucketCredentials(offStore));
        InvalidParameterValueException refused = assertThrows(InvalidParameterValueException.class,
                () -> flows.migrateObjectStoreAccount(owner.getId(), offStore));
        assertTrue(refused.getMessage().contains("bucket_credentials=off"), refused.getMessage());
    }
}
