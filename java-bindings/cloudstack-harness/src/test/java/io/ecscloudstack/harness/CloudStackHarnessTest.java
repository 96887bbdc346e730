package io.ecscloudstack.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.object.Bucket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudStackHarnessTest {
    private FakeObjectStore.Provider provider;
    private CloudStackHarness cs;
    private long storeId;
    private AccountVO alice;

    @BeforeEach
    void start() {
        provider = new FakeObjectStore.Provider();
        cs = CloudStackHarness.start(provider);
        StepReport<ObjectStoreVO> added = cs.addObjectStore("Fake", "store-1", "http://fake:9000",
                Map.of("endpoint", "http://fake:9000", "password", "hunter2"));
        storeId = added.orThrow().getId();
        alice = cs.createAccount("alice");
    }

    private FakeObjectStore.Driver driver() {
        return provider.driver();
    }

    private static BucketRequest everyOption(long storeId, long accountId, String name) {
        return BucketRequest.of(storeId, accountId, name).withQuota(5).withVersioning(true).withEncryption(true)
                .withObjectLocking(true).withPolicy("Public");
    }

    @Test
    void startWiresInjectFieldsOfProviderLifecycleAndDriver() {
        assertNotNull(provider.storeMgr);
        assertNotNull(provider.helper);
        assertNotNull(((FakeObjectStore.Lifecycle) provider.getDataStoreLifeCycle()).objectStoreHelper);
        assertNotNull(driver().bucketDao);
        assertNotNull(driver().accountDetailsDao);
    }

    @Test
    void startRefusesAProviderThatRegistersNoDriver() {
        FakeObjectStore.Provider silent = new FakeObjectStore.Provider();
        silent.registerDriver = false;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CloudStackHarness.start(silent));
        assertTrue(e.getMessage().contains("registered no driver"), e.getMessage());
    }

    @Test
    void addObjectStorePersistsTheStoreAndItsDetails() {
        ObjectStoreVO store = cs.objectStoreDao().findById(storeId);
        assertEquals("store-1", store.getName());
        assertEquals("Fake", store.getProviderName());
        assertEquals("http://fake:9000", store.getUrl());
        assertNotNull(store.getUuid());
        assertEquals(Map.of("endpoint", "http://fake:9000", "password", "hunter2"),
                cs.objectStoreDetailsDao().getDetails(storeId));
        assertEquals(List.of(), cs.journal().get(0).driverCalls());
    }

    @Test
    void addObjectStoreReportsCloudStackErrors() {
        StepReport<ObjectStoreVO> dup = cs.addObjectStore("Fake", "store-1", "http://other:9000",
                Map.of("endpoint", "x"));
        assertFalse(dup.succeeded());
        assertTrue(dup.message().contains("already exists"), dup.message());

        StepReport<ObjectStoreVO> unknown = cs.addObjectStore("Nope", "store-2", "http://x:1", Map.of());
        assertEquals("can't find object store provider: Nope", unknown.message());

        StepReport<ObjectStoreVO> badUrl = cs.addObjectStore("Fake", "store-4", "not a url", Map.of("endpoint", "x"));
        assertEquals("Invalid URL: not a url", badUrl.message());
        assertEquals("Invalid URL: null", cs.addObjectStore("Fake", "store-5", null, Map.of()).message());

        StepReport<ObjectStoreVO> refused = cs.addObjectStore("Fake", "store-3", "http://y:1", Map.of());
        assertEquals("Failed to add object store: missing required detail: endpoint", refused.message());
        assertEquals(1, refused.after().stores().size());
    }

    @Test
    void createBucketFollowsCloudStacksCallSequence() {
        StepReport<BucketVO> alloc = cs.allocBucket(everyOption(storeId, alice.getId(), "photos"));
        assertTrue(alloc.succeeded(), alloc.summary());
        assertEquals(List.of("createUser"), alloc.driverMethods());
        assertEquals(Bucket.State.Allocated, alloc.value().getState());
        assertEquals(0L, alloc.value().getSize());

        StepReport<BucketVO> job = cs.createBucketJob(alloc.value().getId(), everyOption(storeId, alice.getId(),
                "photos"));
        assertTrue(job.succeeded(), job.summary());
        assertEquals(List.of("createBucket", "setBucketVersioning", "setBucketEncryption", "setBucketQuota",
                "setBucketPolicy"), job.driverMethods());
        assertEquals(List.of(), job.findings());
        BucketVO row = job.value();
        assertEquals(Bucket.State.Created, row.getState());
        assertEquals("http://fake/photos", row.getBucketURL());
        assertEquals("AK" + alice.getId(), row.getAccessKey());
        assertEquals("SK" + alice.getId(), row.getSecretKey());
        assertEquals(5, row.getQuota());
        assertTrue(row.isVersioning() && row.isEncryption() && row.isObjectLock());
        assertEquals("Public", row.getPolicy());
        assertEquals(Boolean.TRUE, driver().buckets.get("photos").get("objectLock"));
        assertEquals(5L, driver().buckets.get("photos").get("quota"));
        // The follow-up calls got a BucketTO built from what createBucket returned: with keys.
        assertTrue(driver().keysSeen.stream().allMatch(s -> s.endsWith(":AK" + alice.getId())), driver().keysSeen.toString());
    }

    @Test
    void createBucketRunsBothPhasesAndJournalsThem() {
        StepReport<BucketVO> r = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "plain"));
        assertTrue(r.succeeded(), r.summary());
        assertEquals("createBucket", r.step());
        assertEquals(List.of("createBucket"), r.driverMethods());
        List<String> steps = cs.journal().stream().map(StepReport::step).toList();
        assertEquals(List.of("addObjectStore", "allocBucket", "createBucket"), steps);
        assertTrue(r.after().bucket("plain").isPresent());
        assertTrue(r.duration().toNanos() > 0);
    }

    @Test
    void allocBucketRejectsBadNamesAndRefusedUsers() {
        StepReport<BucketVO> bad = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "Bad_Name"));
        assertEquals("allocBucket", bad.step());
        assertTrue(bad.message().startsWith("Invalid Bucket Name: "), bad.message());
        assertEquals(List.of(), bad.driverCalls());

        driver().refuseUser = true;
        StepReport<BucketVO> refused = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "good-name"));
        assertEquals("Failed to create bucket", refused.message());
        assertEquals(List.of("createUser"), refused.driverMethods());
        assertTrue(refused.after().buckets().isEmpty());

        driver().refuseUser = false;
        driver().failOn = "createUser";
        StepReport<BucketVO> thrown = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "good-name"));
        assertEquals("Failed to create bucket", thrown.message());
        assertFalse(thrown.driverCalls().get(0).ok());
    }

    @Test
    void aFailingFollowUpCleansUpLikeCloudStack() {
        driver().failOn = "setBucketQuota";
        StepReport<BucketVO> r = cs.createBucket(everyOption(storeId, alice.getId(), "doomed"));
        assertFalse(r.succeeded());
        assertEquals("Failed to create bucket with name: doomed. fake failure in setBucketQuota", r.message());
        assertEquals(List.of("createBucket", "setBucketVersioning", "setBucketEncryption", "setBucketQuota",
                "deleteBucket"), r.driverMethods());
        assertFalse(driver().buckets.containsKey("doomed"));
        BucketVO row = r.after().buckets().get(0);
        assertNotNull(row.getRemoved());
        assertTrue(r.after().bucket("doomed").isEmpty());
    }

    @Test
    void aDriverReturningTheStaleBucketIsReported() {
        driver().returnStale = true;
        StepReport<BucketVO> r = cs.createBucket(everyOption(storeId, alice.getId(), "stale"));
        assertTrue(r.succeeded(), r.summary());
        assertEquals(1, r.findings().size(), r.findings().toString());
        assertTrue(r.findings().get(0).contains("without access key"));
        assertTrue(driver().keysSeen.stream().allMatch(s -> s.endsWith(":null")));
    }

    @Test
    void wipingAccountDetailsIsReportedAndVisible() {
        cs.accountDetailsDao().addDetail(alice.getId(), "unrelated", "keep-me", true);
        driver().wipeDetails = true;
        StepReport<BucketVO> r = cs.allocBucket(BucketRequest.of(storeId, alice.getId(), "wiper"));
        assertTrue(r.succeeded());
        assertEquals(1, r.findings().size());
        assertNull(r.after().accountDetails(alice.getId()).get("unrelated"));

        AccountVO bob = cs.createAccount("bob");
        cs.accountDetailsDao().addDetail(bob.getId(), "unrelated", "keep-me", true);
        driver().wipeDetails = false;
        StepReport<BucketVO> merged = cs.allocBucket(BucketRequest.of(storeId, bob.getId(), "merger"));
        assertEquals(List.of(), merged.findings());
        assertEquals("keep-me", merged.after().accountDetails(bob.getId()).get("unrelated"));
    }

    @Test
    void updateBucketResendingTheFormCallsEverySetter() {
        BucketVO row = cs.createBucket(everyOption(storeId, alice.getId(), "upd")).orThrow();
        StepReport<BucketVO> same = cs.updateBucket(row.getId(), BucketUpdate.resending(row));
        assertTrue(same.succeeded(), same.summary());
        assertEquals(List.of("setBucketEncryption", "setBucketVersioning", "setBucketPolicy", "setBucketQuota"),
                same.driverMethods());

        StepReport<BucketVO> off = cs.updateBucket(row.getId(),
                BucketUpdate.none().withEncryption(false).withVersioning(false).withQuota(9).withPolicy("private"));
        assertEquals(List.of("deleteBucketEncryption", "deleteBucketVersioning", "setBucketPolicy", "setBucketQuota"),
                off.driverMethods());
        BucketVO after = off.value();
        assertFalse(after.isEncryption());
        assertFalse(after.isVersioning());
        assertEquals(9, after.getQuota());
        assertEquals("private", after.getPolicy());
        assertEquals("Suspended", driver().buckets.get("upd").get("versioning"));
        assertEquals("AK" + alice.getId(), after.getAccessKey());
    }

    @Test
    void updateBucketFailureKeepsTheRowAndSaysWhy() {
        BucketVO row = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "upd-fail").withQuota(1)).orThrow();
        driver().failOn = "setBucketPolicy";
        StepReport<BucketVO> r = cs.updateBucket(row.getId(), BucketUpdate.none().withVersioning(true)
                .withPolicy("public").withQuota(2));
        assertEquals("Error while updating bucket: upd-fail. fake failure in setBucketPolicy", r.message());
        assertEquals(List.of("setBucketVersioning", "setBucketPolicy"), r.driverMethods());
        BucketVO stored = r.after().bucket("upd-fail").orElseThrow();
        assertFalse(stored.isVersioning());
        assertEquals(1, stored.getQuota());
    }

    @Test
    void deleteBucketSoftDeletesOnlyWhenTheDriverAgrees() {
        BucketVO row = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "del")).orThrow();
        driver().refuseDelete = true;
        StepReport<Boolean> refused = cs.deleteBucket(row.getId());
        assertFalse(refused.succeeded());
        assertTrue(refused.after().bucket("del").isPresent());

        driver().refuseDelete = false;
        StepReport<Boolean> ok = cs.deleteBucket(row.getId());
        assertEquals(Boolean.TRUE, ok.orThrow());
        assertTrue(ok.after().bucket("del").isEmpty());
        assertNull(cs.bucketDao().findById(row.getId()));
        assertNotNull(cs.bucketDao().findByIdIncludingRemoved(row.getId()).getRemoved());
        assertFalse(cs.deleteBucket(row.getId()).succeeded());
    }

    @Test
    void usageTaskWritesSizesOfBucketsTheDriverReports() {
        BucketVO a = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "used")).orThrow();
        BucketVO b = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "unreported")).orThrow();
        driver().usage.put("used", 4096L);
        driver().usage.put("not-a-cloudstack-bucket", 1L);
        StepReport<Map<Long, Long>> r = cs.runUsageTask();
        assertEquals(Map.of(a.getId(), 4096L), r.orThrow());
        assertEquals(List.of("getAllBucketsUsage"), r.driverMethods());
        assertEquals(4096L, cs.bucketDao().findById(a.getId()).getSize());
        assertEquals(0L, cs.bucketDao().findById(b.getId()).getSize());
        // The job's stale-object update must not have clobbered the driver's keys.
        assertEquals("AK" + alice.getId(), cs.bucketDao().findById(a.getId()).getAccessKey());

        driver().failOn = "getAllBucketsUsage";
        assertFalse(cs.runUsageTask().succeeded());
    }

    @Test
    void storeUrlChangeIsCheckedWithListBucketsAndRevertedOnFailure() {
        StepReport<ObjectStoreVO> ok = cs.updateObjectStoreUrl(storeId, "http://fake:9001");
        assertEquals("http://fake:9001", ok.orThrow().getUrl());
        assertEquals(List.of("listBuckets"), ok.driverMethods());

        driver().failOn = "listBuckets";
        StepReport<ObjectStoreVO> bad = cs.updateObjectStoreUrl(storeId, "http://unreachable:1");
        assertEquals("Unable to access Object Storage with URL: http://unreachable:1", bad.message());
        assertEquals("http://fake:9001", cs.objectStoreDao().findById(storeId).getUrl());
    }

    @Test
    void storeWithBucketsCannotBeDeleted() {
        BucketVO row = cs.createBucket(BucketRequest.of(storeId, alice.getId(), "pin")).orThrow();
        assertEquals("Cannot delete object store with buckets", cs.deleteObjectStore(storeId).message());
        cs.deleteBucket(row.getId()).orThrow();
        StepReport<Boolean> r = cs.deleteObjectStore(storeId);
        assertTrue(r.orThrow());
        assertEquals(List.of(), r.driverCalls());
        assertEquals(Map.of(), r.after().storeDetails(storeId));
    }

    @Test
    void snapshotsRedactSecretsInText() {
        cs.createBucket(BucketRequest.of(storeId, alice.getId(), "redact")).orThrow();
        String text = cs.snapshot().toString();
        assertFalse(text.contains("hunter2"), text);
        assertFalse(text.contains("SK" + alice.getId()), text);
        assertTrue(text.contains("AK" + alice.getId()), text);
        assertTrue(text.contains("redact"), text);
    }

    @Test
    void concurrentCreatesFromManyThreadsAllLand() throws Exception {
        List<AccountVO> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accounts.add(cs.createAccount("acct-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<StepReport<BucketVO>>> futures = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            long owner = accounts.get(i % 4).getId();
            String name = "bucket-" + i;
            futures.add(pool.submit(() -> cs.createBucket(everyOption(storeId, owner, name))));
        }
        for (Future<StepReport<BucketVO>> f : futures) {
            StepReport<BucketVO> r = f.get(30, TimeUnit.SECONDS);
            assertTrue(r.succeeded(), r.summary());
            assertEquals(5, r.driverCalls().size(), r.summary());
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(32, cs.bucketDao().listByObjectStoreId(storeId).size());
        assertEquals(32, driver().buckets.size());
        for (AccountVO a : accounts) {
            assertEquals(8, cs.bucketDao().listByObjectStoreIdAndAccountId(storeId, a.getId()).size());
            assertEquals("AK" + a.getId(), cs.accountDetailsDao().findDetails(a.getId()).get("fake-" + storeId + "-access"));
        }
    }
}
