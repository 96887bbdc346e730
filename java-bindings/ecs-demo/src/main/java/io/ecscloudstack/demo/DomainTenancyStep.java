package io.ecscloudstack.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.cloud.domain.DomainVO;
import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.ecs.EcsException;
import io.ecscloudstack.ecs.EcsObjectStore;
import io.ecscloudstack.ecs.ErrorCode;
import io.ecscloudstack.harness.BucketRequest;
import io.ecscloudstack.harness.CloudStackHarness;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;

/**
 * The demo's tenancy step: a second store on the same ECS with {@code tenancy=domain} (and a user
 * prefix of its own), a second CloudStack domain with an account, whose first bucket makes the
 * domain's ECS namespace; the first domain's keys do not find that bucket.
 */
final class DomainTenancyStep {
    private DomainTenancyStep() {
    }

    /**
     * @param cs the demo's harness
     * @param details the first store's details
     * @param direct the first store, to use the first domain's keys with
     * @param firstKeys the first domain's account keys
     * @return the step's lines
     */
    static List<String> run(CloudStackHarness cs, Map<String, String> details, EcsObjectStore direct,
            AccountCredentials firstKeys) {
        Map<String, String> tenants = new LinkedHashMap<>(details);
        tenants.put("tenancy", "domain");
        tenants.put("user_prefix", "cs-demo-domain-");
        // CloudStack refuses a second store with the same URL: this one names the management URL.
        ObjectStoreVO store = cs.addObjectStore("ECS", "ecs-demo-tenants", details.get("mgmt_url"), tenants)
                .orThrow();
        DomainVO domain = cs.createDomain("demo-tenant");
        AccountVO account = cs.createAccount("demo-tenant-user", domain.getId());
        String name = "demo-domain-" + domain.getUuid().substring(0, 8);
        BucketVO bucket = cs.createBucket(BucketRequest.of(store.getId(), account.getId(), name)).orThrow();
        ErrorCode seen;
        try {
            direct.listObjects(firstKeys, name, null);
            seen = null;
        } catch (EcsException e) {
            seen = e.code();
        }
        if (seen != ErrorCode.NOT_FOUND) {
            throw new IllegalStateException("the first domain's keys listing " + name + ": " + seen);
        }
        cs.deleteBucket(bucket.getId()).orThrow();
        return List.of("store " + store.getName() + " with tenancy=domain; domain " + domain.getName() + " ("
                        + domain.getUuid() + ")",
                "bucket " + name + " in namespace cs-" + domain.getUuid() + ", owned by " + bucket.getAccessKey(),
                "the first domain's keys: NOT_FOUND (the bucket is not in their namespace)",
                "bucket deleted; the namespace stays (an operator removes it: ecsctl namespace delete)");
    }
}
