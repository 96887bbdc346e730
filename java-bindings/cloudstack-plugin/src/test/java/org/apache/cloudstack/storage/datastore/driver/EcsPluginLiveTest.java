package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import com.cloud.utils.exception.CloudRuntimeException;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.ecs.ObjectEntry;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.BucketUpdate;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;
import org.apache.cloudstack.storage.object.Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ECS plug-in run through the CloudStack harness against a live ecs-sim: every step
 * CloudStack takes, with the outcome checked on the DAOs and, independently, on ECS itself.
 */
class EcsPluginLiveTest {
    private static EcsSimProcess sim;
    private static EcsObjectStore direct;

    private CloudStackHarness cs;
    private EcsObjectStoreProviderImpl provider;
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
        provider = new EcsObjectStoreProviderImpl();
        cs = CloudStackHarness.start(provider);
        StepReport<ObjectStoreVO> added = cs.addObjectStore("ECS", "ecs-" + System.nanoTime(), sim.s3Url(),
                sim.details());
        assertTrue(added.succeeded(), added.summary());
        storeId = added.value().getId();
        owner = cs.createAccount("owner");
        cs.accountDetailsDao().addDetail(owner.getId(), "unrelated", "keep-me", true);
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    /** Every option but object lock (see {@link #aLockBucketShowsVersioningOnInItsRow}). */
    private BucketRequest everyOption(long accountId, String name) {
        return everyOption(storeId, accountId, name);
    }

    private static BucketRequest everyOption(long store, long accountId, String name) {
        return BucketRequest.of(store, accountId, name).withQuota(2).withVersioning(true).withEncryption(true)
                .withPolicy("public");
    }

    /**
     * A second store on the same emulator with extra details (its public URL made unique, the
     * driver reaching S3 through the private one).
     */
    private long storeWith(Map<String, String> extra) {
        Map<String, String> details = new LinkedHashMap<>(sim.details());
        details.putAll(extra);
        details.put("s3_private_url", sim.s3Url());
        details.put("s3_public_url", "https://store-" + System.nanoTime() + ".example.com");
        StepReport<ObjectStoreVO> added = cs.addObjectStore("ECS", "ecs-" + System.nanoTime(),
                details.get("s3_public_url"), details);
        assertTrue(added.succeeded(), added.summary());
        return added.value().getId();
    }

    private void printDurations(String step) {
        List<Long> micros = cs.journal().stream().filter(r -> r.step().equals(step))
                .map(r -> r.duration().toNanos() / 1000).sorted().toList();
        System.out.printf("harness: %d x %s under 32 threads: min %d us, median %d us, max %d us%n", micros.size(),
                step, micros.get(0), micros.get(micros.size() / 2), micros.get(micros.size() - 1));
    }

    private static AccountCredentials keysOf(BucketVO row) {
        return new AccountCredentials(row.getAccessKey(), row.getSecretKey());
    }

    @Test
    void addStoreRefusesWrongCredentialsWithAClearMessage() {
        Map<String, String> wrong = new LinkedHashMap<>(sim.details());
        wrong.put("sa_password", "not-the-password");
        wrong.remove("s3_public_url"); // the store URL is the public S3 URL
        StepReport<ObjectStoreVO> r = cs.addObjectStore("ECS", "wrong", "http://127.0.0.1:1", wrong);
        assertFalse(r.succeeded());
        assertTrue(r.message().startsWith("Failed to add object store: ECS:"), r.message());
        assertFalse(r.message().contains("not-the-password"), r.message());
        assertEquals(1, r.after().stores().size());

        Map<String, String> missing = new LinkedHashMap<>(sim.details());
        missing.remove("namespace");
        StepReport<ObjectStoreVO> m = cs.addObjectStore("ECS", "missing", "http://127.0.0.1:2", missing);
        assertTrue(m.message().contains("namespace"), m.message());
    }

    @Test
    void createBucketWithEveryOptionStoresUrlAndKeys() {
        String name = unique("every");
        StepReport<BucketVO> r = cs.createBucket(everyOption(owner.getId(), name));
        cs.journal().forEach(step -> System.out.println("harness: " + step.summary()));
        assertTrue(r.succeeded(), r.summary());
        assertEquals(List.of(), r.findings());
        assertEquals(List.of("createBucket", "setBucketVersioning", "setBucketEncryption", "setBucketQuota",
                "setBucketPolicy"), r.driverMethods());
        BucketVO row = r.value();
        assertEquals(Bucket.State.Created, row.getState());
        assertEquals(sim.s3Url() + "/" + name, row.getBucketURL());
        Map<String, String> details = r.after().accountDetails(owner.getId());
        assertEquals(details.get(AccountKeys.accessKeyName(storeId)), row.getAccessKey());
        assertEquals(details.get(AccountKeys.secretKeyName(storeId)), row.getSecretKey());
        assertEquals("keep-me", details.get("unrelated"));
        assertNotNull(direct.getPolicy(name));
        assertTrue(direct.listBuckets().stream().anyMatch(b -> b.name().equals(name)));
    }

    @Test
    void objectLockIsRefusedAndLeavesNothing() {
        long refusing = storeWith(Map.of("object_lock", "refuse"));
        String name = unique("locked");
        StepReport<BucketVO> r = cs.createBucket(everyOption(refusing, owner.getId(), name).withObjectLocking(true));
        assertFalse(r.succeeded());
        assertTrue(r.message().startsWith("Failed to create bucket with name: " + name + ". ECS: failed to create"
                + " bucket '" + name + "': "), r.message());
        assertTrue(r.message().toLowerCase().contains("object lock"), r.message());
        assertTrue(r.message().contains("[UNSUPPORTED"), r.message());
        assertEquals(List.of("createBucket"), r.driverMethods());
        assertTrue(r.after().bucket(name).isEmpty());
        assertFalse(direct.listBuckets().stream().anyMatch(b -> b.name().equals(name)));
    }

    @Test
    void aLockBucketShowsVersioningOnInItsRow() {
        String name = unique("lock");
        StepReport<BucketVO> r = cs.createBucket(BucketRequest.of(storeId, owner.getId(), name).withQuota(1)
                .withObjectLocking(true));
        assertTrue(r.succeeded(), r.summary());
        assertEquals(List.of("createBucket", "setBucketQuota"), r.driverMethods(),
                "versioning was not asked for: CloudStack sends no versioning call");
        BucketVO row = r.value();
        assertTrue(row.isObjectLock());
        assertTrue(row.isVersioning(), "object lock turned versioning on, and the row says so");
        assertTrue(direct.listBuckets().stream().anyMatch(b -> b.name().equals(name) && b.versioning()));
        assertTrue(cs.deleteBucket(row.getId()).succeeded());
    }

    @Test
    void deletingABucketWithRetainedObjectsNamesTheDateItCanGo() {
        long retaining = storeWith(Map.of("object_lock_mode", "governance", "object_lock_days", "2"));
        String name = unique("vault");
        BucketVO row = cs.createBucket(BucketRequest.of(retaining, owner.getId(), name).withQuota(1)
                .withObjectLocking(true)).orThrow();
        java.time.LocalDate before = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);
        direct.putObject(keysOf(row), name, "record.txt", "kept".getBytes(StandardCharsets.UTF_8));
        java.time.LocalDate after = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);

        StepReport<Boolean> refused = cs.deleteBucket(row.getId());
        assertFalse(refused.succeeded());
        String message = refused.message();
        assertTrue(message.contains("retention until " + before) || message.contains("retention until " + after),
                message);
        assertTrue(message.contains("[NOT_EMPTY"), message);
        assertTrue(refused.after().bucket(name).isPresent(), "the row stays");
        assertTrue(direct.listBuckets().stream().anyMatch(b -> b.name().equals(name)));
    }

    @Test
    void updateFormResendingValuesAndChangingThemBothWork() {
        String name = unique("upd");
        BucketVO row = cs.createBucket(everyOption(owner.getId(), name)).orThrow();
        StepReport<BucketVO> same = cs.updateBucket(row.getId(), BucketUpdate.resending(row));
        assertTrue(same.succeeded(), same.summary());
        StepReport<BucketVO> changed = cs.updateBucket(row.getId(),
                BucketUpdate.none().withVersioning(false).withQuota(5).withPolicy("private"));
        assertTrue(changed.succeeded(), changed.summary());
        assertEquals(5, changed.value().getQuota());
        assertFalse(changed.value().isVersioning());
        assertNull(direct.getPolicy(name));
    }

    @Test
    void browseUsageAndDeleteFollowTheData() {
        String name = unique("data");
        BucketVO row = cs.createBucket(BucketRequest.of(storeId, owner.getId(), name).withQuota(1)).orThrow();
        AccountCredentials keys = keysOf(row);
        byte[] body = "hello from cloudstack".getBytes(StandardCharsets.UTF_8);
        direct.putObject(keys, name, "docs/hello.txt", body);
        List<ObjectEntry> listed = direct.listObjects(keys, name, "docs/");
        assertEquals(List.of("docs/hello.txt"), listed.stream().map(ObjectEntry::key).toList());
        assertArrayEquals(body, direct.getObject(keys, name, "docs/hello.txt"));

        StepReport<Map<Long, Long>> usage = cs.runUsageTask();
        assertTrue(usage.succeeded(), usage.summary());
        Long reported = direct.usage().get(name);
        assertNotNull(reported);
        assertEquals(reported, usage.value().get(row.getId()));
        assertEquals(reported, cs.bucketDao().findById(row.getId()).getSize());

        StepReport<Boolean> refused = cs.deleteBucket(row.getId());
        assertFalse(refused.succeeded(), refused.summary());
        assertTrue(refused.message().contains("ECS: failed to delete bucket '" + name + "'"), refused.message());
        assertTrue(refused.message().contains("[NOT_EMPTY"), refused.message());
        assertTrue(refused.after().bucket(name).isPresent());

        direct.deleteObject(keys, name, "docs/hello.txt");
        StepReport<Boolean> deleted = cs.deleteBucket(row.getId());
        assertTrue(deleted.succeeded(), deleted.summary());
        assertTrue(deleted.after().bucket(name).isEmpty());
        assertFalse(direct.listBuckets().stream().anyMatch(b -> b.name().equals(name)));
        assertEquals("keep-me", deleted.after().accountDetails(owner.getId()).get("unrelated"));
    }

    @Test
    void deletingABucketAlreadyGoneFromEcsSucceeds() {
        String name = unique("gone");
        BucketVO row = cs.createBucket(BucketRequest.of(storeId, owner.getId(), name)).orThrow();
        direct.deleteBucket(name);
        StepReport<Boolean> r = cs.deleteBucket(row.getId());
        assertTrue(r.succeeded(), r.summary());
        assertTrue(r.after().bucket(name).isEmpty());
    }

    @Test
    void aBucketWhoseRowVanishedIsRemovedFromEcsAgain() {
        String name = unique("orphan");
        EcsObjectStoreDriverImpl driver = (EcsObjectStoreDriverImpl) provider.getDataStoreDriver();
        assertTrue(driver.createUser(owner.getId(), storeId));
        BucketVO row = cs.bucketDao().persist(new BucketVO(owner.getId(), 1L, storeId, name, null, false, false,
                false, null));
        cs.bucketDao().remove(row.getId());
        CloudRuntimeException e = assertThrows(CloudRuntimeException.class, () -> driver.createBucket(row, false));
        assertTrue(e.getMessage().contains("the bucket was removed again"), e.getMessage());
        assertFalse(direct.listBuckets().stream().anyMatch(b -> b.name().equals(name)));
    }

    @Test
    void createUserIsIdempotentAcrossBuckets() {
        BucketVO first = cs.createBucket(BucketRequest.of(storeId, owner.getId(), unique("one"))).orThrow();
        BucketVO second = cs.createBucket(BucketRequest.of(storeId, owner.getId(), unique("two"))).orThrow();
        assertEquals(first.getAccessKey(), second.getAccessKey());
        assertEquals(first.getSecretKey(), second.getSecretKey());
        assertEquals(0, cs.accountDetailsDao().replacingWritesByThisThread());
        assertEquals(3, cs.accountDetailsDao().findDetails(owner.getId()).size());
    }

    @Test
    void changedStoreDetailsAreUsedAtTheNextCall() {
        cs.createBucket(BucketRequest.of(storeId, owner.getId(), unique("before"))).orThrow();
        Map<String, String> wrong = new LinkedHashMap<>(cs.objectStoreDetailsDao().getDetails(storeId));
        wrong.put("sa_password", "rotated-elsewhere");
        cs.objectStoreDetailsDao().update(storeId, wrong);
        StepReport<BucketVO> refused = cs.createBucket(BucketRequest.of(storeId, owner.getId(), unique("during")));
        assertFalse(refused.succeeded(), refused.summary());
        assertFalse(refused.message().contains("rotated-elsewhere"), refused.message());

        cs.objectStoreDetailsDao().update(storeId, sim.details());
        StepReport<BucketVO> again = cs.createBucket(BucketRequest.of(storeId, owner.getId(), unique("after")));
        assertTrue(again.succeeded(), again.summary());
    }

    @Test
    void thirtyTwoThreadsCreateBucketsForFourAccounts() throws Exception {
        List<AccountVO> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accounts.add(cs.createAccount("tenant-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<StepReport<BucketVO>>> results = new ArrayList<>();
        String prefix = unique("par");
        for (int i = 0; i < 32; i++) {
            long accountId = accounts.get(i % 4).getId();
            BucketRequest request = everyOption(accountId, prefix + "-" + i);
            results.add(pool.submit(() -> cs.createBucket(request)));
        }
        for (Future<StepReport<BucketVO>> f : results) {
            StepReport<BucketVO> r = f.get(120, TimeUnit.SECONDS);
            assertTrue(r.succeeded(), r.summary());
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        printDurations("allocBucket");
        printDurations("createBucket");
        for (AccountVO a : accounts) {
            List<BucketVO> rows = cs.bucketDao().listByObjectStoreIdAndAccountId(storeId, a.getId());
            assertEquals(8, rows.size());
            Set<String> keys = new HashSet<>();
            rows.forEach(b -> keys.add(b.getAccessKey()));
            assertEquals(Set.of(cs.accountDetailsDao().findDetails(a.getId()).get(AccountKeys.accessKeyName(storeId))),
                    keys);
        }
    }
}
