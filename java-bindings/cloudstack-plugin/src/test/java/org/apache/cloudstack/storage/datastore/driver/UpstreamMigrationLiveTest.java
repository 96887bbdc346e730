package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.BucketUpdate;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;
import org.apache.cloudstack.storage.object.Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A CloudStack that ran the upstream ECS plug-in (CloudStack PR #12124) switches to ours: the
 * test builds exactly the state that plug-in leaves (ECS through its management API calls,
 * CloudStack through the DAOs) and then runs CloudStack's whole flow with our plug-in. Nothing
 * is created twice on ECS, no key is made or deactivated, the old account details stay as they
 * were, and every old bucket can be updated, emptied, deleted and metered.
 */
class UpstreamMigrationLiveTest {
    private static final String NS = "ns1";

    private static EcsSimProcess sim;

    @BeforeAll
    static void startSim() throws Exception {
        sim = EcsSimProcess.startWithTwoS3Listeners(false, false);
    }

    @AfterAll
    static void stopSim() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    /** An account as upstream provisioned it: user {@code cs-<uuid>}, one key, {@code ecs.*} details. */
    private static AccountCredentials upstreamAccount(CloudStackHarness cs, EcsMgmtApi ecs, AccountVO account)
            throws Exception {
        String user = "cs-" + account.getUuid();
        String secret = UUID.randomUUID().toString().replace("-", "");
        ecs.createUser(user, NS);
        ecs.createSecretKey(user, NS, secret);
        cs.accountDetailsDao().addDetail(account.getId(), AccountKeys.LEGACY_ACCESS_KEY, user, false);
        cs.accountDetailsDao().addDetail(account.getId(), AccountKeys.LEGACY_SECRET_KEY, secret, false);
        cs.accountDetailsDao().addDetail(account.getId(), "unrelated", "keep-me", true);
        return new AccountCredentials(user, secret);
    }

    /** A bucket as upstream created it (M5, then policy and S3 versioning) and the row it wrote. */
    private static BucketVO upstreamBucket(CloudStackHarness cs, EcsMgmtApi ecs, long storeId, AccountVO owner,
            AccountCredentials keys, String name, Integer quota, boolean encryption, boolean versioning,
            String policy, String s3Host) throws Exception {
        long hard = quota == null ? 2 : quota;
        long soft = quota == null ? 1 : quota;
        ecs.createBucket(name, NS, keys.userId(), hard, soft, encryption);
        if ("public".equals(policy)) {
            ecs.putPublicReadPolicy(name, NS);
        }
        if (versioning) {
            ecs.enableVersioning(name, NS);
        }
        BucketVO row = new BucketVO(owner.getId(), 1L, storeId, name, quota, versioning, encryption, false, policy);
        row.setState(Bucket.State.Created);
        row.setBucketURL("https://" + s3Host + "/" + name);
        row.setAccessKey(keys.userId());
        row.setSecretKey(keys.secretKey());
        return cs.bucketDao().persist(row);
    }

    private static long count(List<Map<String, String>> log, String method, String pathPrefix) {
        return log.stream().filter(r -> method.equals(r.get("method")) && r.get("path").startsWith(pathPrefix))
                .count();
    }

    @Test
    void aCloudStackThatRanTheUpstreamPluginSwitchesToOurs() throws Exception {
        CloudStackHarness cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        EcsMgmtApi ecs = EcsMgmtApi.login(sim.mgmtUrl(), "root", "ChangeMe");
        String s3Host = sim.secondS3Listener();

        // The store upstream's lifecycle persisted: URL = ECS Public URL, its details normalised.
        ObjectStoreVO storeRow = new ObjectStoreVO();
        storeRow.setName("ecs-upstream");
        storeRow.setUrl(sim.s3Url());
        storeRow.setProviderName("ECS");
        storeRow.setUuid(UUID.randomUUID().toString());
        long storeId = cs.objectStoreDao().persist(storeRow).getId();
        Map<String, String> storeDetails = new LinkedHashMap<>();
        storeDetails.put("mgmt_url", sim.mgmtUrl());
        storeDetails.put("sa_user", "root");
        storeDetails.put("sa_password", "ChangeMe");
        storeDetails.put("insecure", "false");
        storeDetails.put("namespace", NS);
        storeDetails.put("s3_host", sim.secondS3Url());
        cs.objectStoreDetailsDao().update(storeId, storeDetails);

        AccountVO alice = cs.createAccount("alice");
        AccountVO bob = cs.createAccount("bob");
        AccountCredentials aliceKeys = upstreamAccount(cs, ecs, alice);
        AccountCredentials bobFirst = upstreamAccount(cs, ecs, bob);
        // Upstream's unlocked check-then-act can leave two keys (its log says "Race: ECS already
        // has key(s)"), with CloudStack holding the second: that one must stay the account's key.
        String bobSecond = UUID.randomUUID().toString().replace("-", "");
        ecs.createSecretKey(bobFirst.userId(), NS, bobSecond);
        cs.accountDetailsDao().addDetail(bob.getId(), AccountKeys.LEGACY_SECRET_KEY, bobSecond, false);
        AccountCredentials bobKeys = new AccountCredentials(bobFirst.userId(), bobSecond);
        String suffix = Long.toHexString(System.nanoTime());
        BucketVO defaulted = upstreamBucket(cs, ecs, storeId, alice, aliceKeys, "old-pub-" + suffix, null, false, true,
                "public", s3Host);
        BucketVO sized = upstreamBucket(cs, ecs, storeId, alice, aliceKeys, "old-priv-" + suffix, 5, true, false, null,
                s3Host);
        String aliceKeysOnEcs = ecs.secretKeys(aliceKeys.userId());
        String bobKeysOnEcs = ecs.secretKeys(bobKeys.userId());
        Map<String, String> aliceDetailsBefore = cs.accountDetailsDao().findDetails(alice.getId());
        sim.clearRequestLog();

        // Our plug-in: the store opens, the hourly usage task meters the old buckets.
        StepReport<Map<Long, Long>> usage = cs.runUsageTask();
        assertTrue(usage.succeeded(), usage.summary());
        assertNotNull(usage.value().get(defaulted.getId()), usage.value().toString());
        assertNotNull(usage.value().get(sized.getId()), usage.value().toString());

        // New buckets for both accounts reuse their ECS users and keys.
        StepReport<BucketVO> aliceNew = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "new-a-" + suffix)
                .withQuota(1));
        assertTrue(aliceNew.succeeded(), aliceNew.summary());
        assertEquals(aliceKeys.userId(), aliceNew.value().getAccessKey());
        assertEquals(aliceKeys.secretKey(), aliceNew.value().getSecretKey());
        assertEquals(sim.s3Url() + "/new-a-" + suffix, aliceNew.value().getBucketURL());
        StepReport<BucketVO> bobNew = cs.createBucket(BucketRequest.of(storeId, bob.getId(), "new-b-" + suffix)
                .withQuota(1).withVersioning(true));
        assertTrue(bobNew.succeeded(), bobNew.summary());
        assertEquals(bobKeys.secretKey(), bobNew.value().getSecretKey());

        // Every old bucket: updated (the UI re-sends values, then changes), emptied, deleted.
        // (Re-sending versioning=false to the never-versioned bucket would suspend versioning,
        // and its deletes would then leave delete markers: not a migration matter.)
        StepReport<BucketVO> same = cs.updateBucket(defaulted.getId(), BucketUpdate.resending(defaulted));
        assertTrue(same.succeeded(), same.summary());
        StepReport<BucketVO> changed = cs.updateBucket(defaulted.getId(), BucketUpdate.none().withQuota(4)
                .withPolicy("private").withVersioning(false));
        assertTrue(changed.succeeded(), changed.summary());
        StepReport<BucketVO> sizedChanged = cs.updateBucket(sized.getId(), BucketUpdate.none().withEncryption(true)
                .withQuota(4).withPolicy("public"));
        assertTrue(sizedChanged.succeeded(), sizedChanged.summary());

        try (EcsObjectStore asUser = EcsObjectStore.open(sim.s3Url(), Map.of("mgmt_url", sim.mgmtUrl(), "sa_user",
                "root", "sa_password", "ChangeMe", "namespace", NS))) {
            asUser.putObject(aliceKeys, sized.getName(), "kept.txt", "old data".getBytes(StandardCharsets.UTF_8));
            StepReport<Boolean> refused = cs.deleteBucket(sized.getId());
            assertFalse(refused.succeeded(), refused.summary());
            assertTrue(refused.message().contains("[NOT_EMPTY"), refused.message());
            asUser.deleteObject(aliceKeys, sized.getName(), "kept.txt");
            assertTrue(asUser.listObjects(aliceKeys, sized.getName(), null).isEmpty());
        }
        for (BucketVO old : List.of(defaulted, sized)) {
            StepReport<Boolean> deleted = cs.deleteBucket(old.getId());
            assertTrue(deleted.succeeded(), deleted.summary());
            assertTrue(deleted.after().bucket(old.getName()).isEmpty());
        }

        // Nothing created twice, no key made or deactivated on ECS.
        List<Map<String, String>> log = sim.requestLog();
        assertEquals(0, count(log, "POST", "/object/users"), "no user created: " + log);
        assertEquals(0, count(log, "POST", "/object/user-secret-keys"), "no key created or deactivated: " + log);
        assertEquals(2, count(log, "POST", "/object/bucket") - count(log, "POST", "/object/bucket/"),
                "only the two new buckets were created: " + log);
        assertEquals(aliceKeysOnEcs, ecs.secretKeys(aliceKeys.userId()));
        assertEquals(bobKeysOnEcs, ecs.secretKeys(bobKeys.userId()));

        // The old details are left as they were; ours sit beside them with the same values.
        Map<String, String> aliceDetails = cs.accountDetailsDao().findDetails(alice.getId());
        for (Map.Entry<String, String> before : aliceDetailsBefore.entrySet()) {
            assertEquals(before.getValue(), aliceDetails.get(before.getKey()), before.getKey());
        }
        assertEquals(aliceKeys.userId(), aliceDetails.get(AccountKeys.accessKeyName(storeId)));
        assertEquals(aliceKeys.secretKey(), aliceDetails.get(AccountKeys.secretKeyName(storeId)));
        assertEquals(0, cs.accountDetailsDao().replacingWritesByThisThread());
    }
}
