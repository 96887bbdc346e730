package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.cloud.domain.DomainVO;
import com.cloud.projects.ProjectVO;
import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.EcsException;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.ecs.ErrorCode;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.BucketUpdate;
import io.ecscloudstack.harness.CloudStackHarness;
import io.ecscloudstack.harness.StepReport;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tenancy=domain} through the harness, the plug-in and JNI against a live ecs-sim: each
 * CloudStack domain's accounts and buckets land in that domain's own ECS namespace (the plug-in
 * finds the domain through the DAOs: bucket row, account, domain), another domain's keys do not
 * reach them, the namespace's hard quota refuses what would exceed it, and a project's buckets carry
 * the project's UUID beside the domain's.
 */
class DomainTenancyLiveTest {
    private static EcsSimProcess sim;

    private CloudStackHarness cs;
    private long storeId;
    private DomainVO sales;
    private DomainVO research;
    private AccountVO alice;
    private AccountVO bob;

    @BeforeAll
    static void startSim() throws Exception {
        sim = EcsSimProcess.start();
    }

    @AfterAll
    static void stopSim() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    private static Map<String, String> domainDetails() {
        Map<String, String> details = sim.details();
        details.put("tenancy", "domain");
        details.put("tenant_namespace_quota_gib", "5");
        return details;
    }

    @BeforeEach
    void addStore() {
        cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        StepReport<ObjectStoreVO> added = cs.addObjectStore("ECS", "ecs-" + System.nanoTime(), sim.s3Url(),
                domainDetails());
        assertTrue(added.succeeded(), added.summary());
        storeId = added.value().getId();
        sales = cs.createDomain("sales");
        research = cs.createDomain("research");
        alice = cs.createAccount("alice", sales.getId());
        bob = cs.createAccount("bob", research.getId());
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    private static String namespaceOf(DomainVO domain) {
        return "cs-" + domain.getUuid();
    }

    private static EcsMgmtApi ecs() throws IOException, InterruptedException {
        return EcsMgmtApi.login(sim.mgmtUrl(), "root", "ChangeMe");
    }

    @Test
    void eachDomainsBucketsLandInItsOwnNamespaceTaggedWithTheDomain() throws Exception {
        String a = unique("sales");
        String b = unique("research");
        BucketVO rowA = cs.createBucket(BucketRequest.of(storeId, alice.getId(), a).withQuota(1)).orThrow();
        BucketVO rowB = cs.createBucket(BucketRequest.of(storeId, bob.getId(), b)).orThrow();
        assertEquals(sim.s3Url() + "/" + a, rowA.getBucketURL());

        String infoA = ecs().bucketInfo(a, namespaceOf(sales));
        assertTrue(infoA.contains(sales.getUuid()), "the domain tag: " + infoA);
        ecs().bucketInfo(b, namespaceOf(research));
        assertThrows(IOException.class, () -> ecs().bucketInfo(a, namespaceOf(research)));
        assertThrows(IOException.class, () -> ecs().bucketInfo(a, "ns1"));

        // Updates and deletion reach the bucket through its row, account and domain.
        StepReport<BucketVO> updated = cs.updateBucket(rowA.getId(),
                BucketUpdate.none().withVersioning(true).withQuota(2).withPolicy("public"));
        assertTrue(updated.succeeded(), updated.summary());
        StepReport<Map<Long, Long>> usage = cs.runUsageTask();
        assertTrue(usage.succeeded(), usage.summary());
        assertEquals(List.of(rowA.getId(), rowB.getId()), usage.value().keySet().stream().sorted().toList());
        StepReport<Boolean> deleted = cs.deleteBucket(rowB.getId());
        assertTrue(deleted.succeeded(), deleted.summary());
        assertThrows(IOException.class, () -> ecs().bucketInfo(b, namespaceOf(research)));
    }

    @Test
    void aProjectsBucketLivesInItsDomainsNamespaceTaggedWithTheProject() throws Exception {
        ProjectVO project = cs.createProject("launch", sales.getId());
        String name = unique("project");
        cs.createBucket(BucketRequest.of(storeId, project.getProjectAccountId(), name)).orThrow();
        String info = ecs().bucketInfo(name, namespaceOf(sales));
        assertTrue(info.contains(project.getUuid()), "the project tag: " + info);
        assertTrue(info.contains(sales.getUuid()), "the domain tag: " + info);
    }

    @Test
    void anotherDomainsKeysDoNotReachTheBucket() throws Exception {
        String a = unique("private");
        BucketVO rowA = cs.createBucket(BucketRequest.of(storeId, alice.getId(), a)).orThrow();
        BucketVO rowB = cs.createBucket(BucketRequest.of(storeId, bob.getId(), unique("other"))).orThrow();
        AccountCredentials aliceKeys = new AccountCredentials(rowA.getAccessKey(), rowA.getSecretKey());
        AccountCredentials bobKeys = new AccountCredentials(rowB.getAccessKey(), rowB.getSecretKey());
        try (EcsObjectStore direct = EcsObjectStore.open(domainDetails())) {
            direct.putObject(aliceKeys, a, "plan.txt", new byte[] {1, 2, 3});
            assertEquals(1, direct.listObjects(aliceKeys, a, null).size());
            EcsException denied = assertThrows(EcsException.class, () -> direct.listObjects(bobKeys, a, null));
            assertEquals(ErrorCode.NOT_FOUND, denied.code(), denied.getMessage());
            denied = assertThrows(EcsException.class, () -> direct.getObject(bobKeys, a, "plan.txt"));
            assertEquals(ErrorCode.NOT_FOUND, denied.code(), denied.getMessage());
        }
    }

    @Test
    void theNamespaceHardQuotaRefusesWhatWouldExceedIt() {
        String first = unique("first");
        BucketVO row = cs.createBucket(BucketRequest.of(storeId, alice.getId(), first).withQuota(3)).orThrow();
        String second = unique("second");
        StepReport<BucketVO> refused = cs.createBucket(BucketRequest.of(storeId, alice.getId(), second)
                .withQuota(3));
        assertFalse(refused.succeeded());
        String message = refused.message();
        assertTrue(message.contains("[QUOTA_EXCEEDED"), message);
        assertTrue(message.contains(namespaceOf(sales)), message);
        assertTrue(message.contains("hard quota of 5 GB"), message);
        assertTrue(message.contains("quotas take 3 GB"), message);
        assertTrue(refused.after().bucket(second).isEmpty());
        // Another domain has a namespace (and a quota) of its own.
        assertTrue(cs.createBucket(BucketRequest.of(storeId, bob.getId(), second).withQuota(3)).succeeded());

        StepReport<BucketVO> raise = cs.updateBucket(row.getId(), BucketUpdate.none().withQuota(6));
        assertFalse(raise.succeeded());
        assertTrue(raise.message().contains("[QUOTA_EXCEEDED"), raise.message());
        assertTrue(cs.updateBucket(row.getId(), BucketUpdate.none().withQuota(5)).succeeded());
    }
}
