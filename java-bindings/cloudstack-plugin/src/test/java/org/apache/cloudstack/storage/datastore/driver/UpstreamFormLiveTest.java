package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact parameter sets of the upstream ECS plug-in's "add object storage" form (CloudStack PR
 * #12124), with and without its optional fields, through the CloudStack harness: the store's URL
 * ("ECS Public URL") is what users see in bucket URLs, {@code s3_host} ("ECS Private URL") is
 * where the driver's S3 traffic goes. The emulator serves S3 on two addresses sharing one state,
 * and its request log says which address each request reached.
 */
class UpstreamFormLiveTest {
    private static EcsSimProcess plain;
    private static EcsSimProcess tls;

    @BeforeAll
    static void startSims() throws Exception {
        plain = EcsSimProcess.startWithTwoS3Listeners(false, true);
        tls = EcsSimProcess.startWithTwoS3Listeners(true, false);
    }

    @AfterAll
    static void stopSims() throws Exception {
        for (EcsSimProcess sim : new EcsSimProcess[] {plain, tls}) {
            if (sim != null) {
                sim.close();
            }
        }
    }

    /** The form's required fields: ECS API URL and the service account (the URL is the store's). */
    private static Map<String, String> form(EcsSimProcess sim, String... optional) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("mgmt_url", sim.mgmtUrl());
        d.put("sa_user", "root");
        d.put("sa_password", "ChangeMe");
        for (int i = 0; i < optional.length; i += 2) {
            d.put(optional[i], optional[i + 1]);
        }
        return d;
    }

    private static String unique(String prefix) {
        return prefix + "-" + Long.toHexString(System.nanoTime());
    }

    private record Outcome(BucketVO row, List<Map<String, String>> log, AccountCredentials keys) {
    }

    /** Adds the store as the form would, then create, update, meter and delete a bucket. */
    private static Outcome cloudStackFlow(EcsSimProcess sim, String publicUrl, Map<String, String> details)
            throws Exception {
        CloudStackHarness cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        sim.clearRequestLog();
        StepReport<ObjectStoreVO> added = cs.addObjectStore("ECS", unique("ecs"), publicUrl, details);
        assertTrue(added.succeeded(), added.summary());
        long store = added.value().getId();
        AccountVO owner = cs.createAccount("alice");
        String name = unique("form");
        StepReport<BucketVO> created = cs.createBucket(BucketRequest.of(store, owner.getId(), name).withQuota(2)
                .withVersioning(true).withPolicy("public"));
        assertTrue(created.succeeded(), created.summary());
        BucketVO row = created.value();
        StepReport<BucketVO> updated = cs.updateBucket(row.getId(), BucketUpdate.resending(row).withQuota(3));
        assertTrue(updated.succeeded(), updated.summary());
        StepReport<Map<Long, Long>> usage = cs.runUsageTask();
        assertTrue(usage.succeeded(), usage.summary());
        List<Map<String, String>> log = sim.requestLog();
        AccountCredentials keys = new AccountCredentials(row.getAccessKey(), row.getSecretKey());
        return new Outcome(row, log, keys);
    }

    private static void assertTraffic(EcsSimProcess sim, List<Map<String, String>> log, String s3Listener) {
        List<Map<String, String>> s3 = log.stream().filter(r -> "s3".equals(r.get("api"))).toList();
        List<Map<String, String>> mgmt = log.stream().filter(r -> "mgmt".equals(r.get("api"))).toList();
        assertFalse(s3.isEmpty(), "the driver used S3: " + log);
        assertFalse(mgmt.isEmpty(), "the driver used the management API: " + log);
        for (Map<String, String> r : s3) {
            assertEquals(s3Listener, r.get("listener"), "the driver's S3 traffic: " + r);
        }
        for (Map<String, String> r : mgmt) {
            assertEquals(sim.mgmtListener(), r.get("listener"), r.toString());
        }
    }

    /** A user's own S3 client on the bucket URL's endpoint: that traffic arrives on the public listener. */
    private static void userReachesTheBucketOnThePublicUrl(EcsSimProcess sim, Outcome o, Map<String, String> details,
            String publicUrl) throws Exception {
        Map<String, String> asUser = new LinkedHashMap<>(details);
        asUser.remove("s3_host");
        sim.clearRequestLog();
        String bucket = o.row().getName();
        try (EcsObjectStore user = EcsObjectStore.open(publicUrl, asUser)) {
            user.putObject(o.keys(), bucket, "hello.txt", "hi".getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("hello.txt"), user.listObjects(o.keys(), bucket, null).stream().map(e -> e.key())
                    .toList());
            user.deleteObject(o.keys(), bucket, "hello.txt");
        }
        List<Map<String, String>> s3 = sim.requestLog().stream().filter(r -> "s3".equals(r.get("api"))).toList();
        assertFalse(s3.isEmpty());
        for (Map<String, String> r : s3) {
            assertEquals(sim.s3Listener(), r.get("listener"), r.toString());
        }
    }

    @Test
    void requiredFieldsOnlyBothS3UrlsAreThePublicOneInUpstreamsDefaultNamespace() throws Exception {
        String publicUrl = plain.s3Url();
        Map<String, String> details = form(plain);
        Outcome o = cloudStackFlow(plain, publicUrl, details);
        assertEquals(publicUrl + "/" + o.row().getName(), o.row().getBucketURL());
        assertTrue(o.row().getAccessKey().startsWith("cs-"), o.row().getAccessKey());
        assertTraffic(plain, o.log(), plain.s3Listener());
        assertTrue(o.log().stream().anyMatch(r -> "POST".equals(r.get("method"))
                && "/object/bucket".equals(r.get("path"))), o.log().toString());
        try (EcsObjectStore admin = EcsObjectStore.open(publicUrl, details)) {
            assertTrue(admin.listBuckets().stream().anyMatch(b -> b.name().equals(o.row().getName())),
                    "the bucket is in namespace 'default'");
        }
    }

    @Test
    void privateUrlAsAUrlAndANamespaceSendTheDriversTrafficToThePrivateListener() throws Exception {
        String publicUrl = plain.s3Url();
        Map<String, String> details = form(plain, "s3_host", plain.secondS3Url(), "namespace", "ns1");
        Outcome o = cloudStackFlow(plain, publicUrl, details);
        assertEquals(publicUrl + "/" + o.row().getName(), o.row().getBucketURL(), "users see the public URL");
        assertTraffic(plain, o.log(), plain.secondS3Listener());
        userReachesTheBucketOnThePublicUrl(plain, o, details, publicUrl);

        // Anyone reads a public bucket's objects at the URL shown in the bucket's details.
        String bucket = o.row().getName();
        try (EcsObjectStore driverSide = EcsObjectStore.open(publicUrl, details)) {
            driverSide.putObject(o.keys(), bucket, "page.html", "<p>hi</p>".getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(o.row().getBucketURL() + "/page.html")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        assertEquals("<p>hi</p>", anonymous.body());
    }

    @Test
    void everyFieldOfTheFormWithHttpsAndAHostPortPrivateUrl() throws Exception {
        String publicUrl = tls.s3Url();
        String hostPort = tls.secondS3Listener();
        Map<String, String> details = form(tls, "s3_host", hostPort, "namespace", "ns1", "user_prefix", "acs-",
                "insecure", "true");
        Outcome o = cloudStackFlow(tls, publicUrl, details);
        assertTrue(publicUrl.startsWith("https://"), publicUrl);
        assertEquals(publicUrl + "/" + o.row().getName(), o.row().getBucketURL());
        assertTrue(o.row().getAccessKey().startsWith("acs-"), o.row().getAccessKey());
        assertTraffic(tls, o.log(), hostPort);
        userReachesTheBucketOnThePublicUrl(tls, o, details, publicUrl);
    }

    @Test
    void contradictoryCombinationsAreRefusedNamingTheFields() {
        CloudStackHarness cs = CloudStackHarness.start(new EcsObjectStoreProviderImpl());
        Map<String, String> publicTwice = form(plain, "namespace", "ns1", "s3_public_url", plain.secondS3Url());
        StepReport<ObjectStoreVO> r = cs.addObjectStore("ECS", "public-twice", plain.s3Url(), publicTwice);
        assertFalse(r.succeeded());
        assertTrue(r.message().contains("store URL (url)") && r.message().contains("s3_public_url"), r.message());

        Map<String, String> privateTwice = form(plain, "namespace", "ns1", "s3_host", plain.secondS3Url(),
                "s3_private_url", plain.s3Url());
        r = cs.addObjectStore("ECS", "private-twice", plain.s3Url(), privateTwice);
        assertFalse(r.succeeded());
        assertTrue(r.message().contains("s3_private_url") && r.message().contains("s3_host"), r.message());
        assertTrue(r.after().stores().isEmpty(), "nothing was persisted");
    }
}
