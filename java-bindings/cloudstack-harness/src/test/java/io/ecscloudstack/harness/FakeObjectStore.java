package io.ecscloudstack.harness;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import com.amazonaws.services.s3.model.AccessControlList;
import com.amazonaws.services.s3.model.BucketPolicy;
import com.cloud.agent.api.StoragePoolInfo;
import com.cloud.agent.api.to.BucketTO;
import com.cloud.agent.api.to.DataStoreTO;
import com.cloud.hypervisor.Hypervisor.HypervisorType;
import com.cloud.storage.BucketVO;
import com.cloud.storage.dao.BucketDao;
import com.cloud.user.AccountDetailsDao;
import com.cloud.user.dao.AccountDao;
import com.cloud.utils.component.ComponentContext;
import com.cloud.utils.exception.CloudRuntimeException;
import org.apache.cloudstack.engine.subsystem.api.storage.ClusterScope;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStore;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreDriver;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreLifeCycle;
import org.apache.cloudstack.engine.subsystem.api.storage.HostScope;
import org.apache.cloudstack.engine.subsystem.api.storage.HypervisorHostListener;
import org.apache.cloudstack.engine.subsystem.api.storage.ObjectStoreProvider;
import org.apache.cloudstack.engine.subsystem.api.storage.ZoneScope;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.object.BaseObjectStoreDriverImpl;
import org.apache.cloudstack.storage.object.Bucket;
import org.apache.cloudstack.storage.object.BucketObject;
import org.apache.cloudstack.storage.object.datastore.ObjectStoreHelper;
import org.apache.cloudstack.storage.object.datastore.ObjectStoreProviderManager;
import org.apache.cloudstack.storage.object.store.lifecycle.ObjectStoreLifeCycle;

/** A trivial in-memory object-store plug-in (provider, lifecycle, driver) wired like MinIO's. */
final class FakeObjectStore {
    private FakeObjectStore() {
    }

    /** The provider, named "Fake". */
    public static final class Provider implements ObjectStoreProvider {
        @Inject
        ObjectStoreProviderManager storeMgr;
        @Inject
        ObjectStoreHelper helper;
        private Lifecycle lifeCycle;
        private Driver driver;
        boolean registerDriver = true;

        @Override
        public DataStoreLifeCycle getDataStoreLifeCycle() {
            return lifeCycle;
        }

        @Override
        public DataStoreDriver getDataStoreDriver() {
            return driver;
        }

        Driver driver() {
            return driver;
        }

        @Override
        public HypervisorHostListener getHostListener() {
            return null;
        }

        @Override
        public String getName() {
            return "Fake";
        }

        @Override
        public boolean configure(Map<String, Object> params) {
            lifeCycle = ComponentContext.inject(Lifecycle.class);
            driver = ComponentContext.inject(Driver.class);
            if (registerDriver) {
                storeMgr.registerDriver(getName(), driver);
            }
            return true;
        }

        @Override
        public Set<DataStoreProviderType> getTypes() {
            Set<DataStoreProviderType> types = new HashSet<>();
            types.add(DataStoreProviderType.OBJECT);
            return types;
        }
    }

    /** The lifecycle: needs an "endpoint" detail. */
    public static final class Lifecycle implements ObjectStoreLifeCycle {
        @Inject
        ObjectStoreHelper objectStoreHelper;
        @Inject
        ObjectStoreProviderManager objectStoreMgr;

        @Override
        @SuppressWarnings("unchecked")
        public DataStore initialize(Map<String, Object> dsInfos) {
            Map<String, String> details = (Map<String, String>) dsInfos.get("details");
            if (details == null || !details.containsKey("endpoint")) {
                throw new CloudRuntimeException("missing required detail: endpoint");
            }
            ObjectStoreVO store = objectStoreHelper.createObjectStore(dsInfos, details);
            return objectStoreMgr.getObjectStore(store.getId());
        }

        @Override
        public boolean attachCluster(DataStore store, ClusterScope scope) {
            return false;
        }

        @Override
        public boolean attachHost(DataStore store, HostScope scope, StoragePoolInfo existingInfo) {
            return false;
        }

        @Override
        public boolean attachZone(DataStore dataStore, ZoneScope scope, HypervisorType hypervisorType) {
            return false;
        }

        @Override
        public boolean maintain(DataStore store) {
            return false;
        }

        @Override
        public boolean cancelMaintain(DataStore store) {
            return false;
        }

        @Override
        public boolean deleteDataStore(DataStore store) {
            return false;
        }

        @Override
        public boolean migrateToObjectStore(DataStore store) {
            return false;
        }
    }

    /** The driver: buckets in a map, one key pair per account kept in account details. */
    public static final class Driver extends BaseObjectStoreDriverImpl {
        @Inject
        AccountDao accountDao;
        @Inject
        AccountDetailsDao accountDetailsDao;
        @Inject
        BucketDao bucketDao;

        final Map<String, Map<String, Object>> buckets = new ConcurrentHashMap<>();
        final Map<String, Long> usage = new ConcurrentHashMap<>();
        /** Access keys of the BucketTOs the follow-up calls received, as "method:key". */
        final List<String> keysSeen = new CopyOnWriteArrayList<>();
        volatile String failOn;
        volatile boolean returnStale;
        volatile boolean wipeDetails;
        volatile boolean refuseUser;
        volatile boolean refuseDelete;

        private void maybeFail(String method) {
            if (method.equals(failOn)) {
                throw new CloudRuntimeException("fake failure in " + method);
            }
        }

        private Map<String, Object> bucket(BucketTO to, String method) {
            maybeFail(method);
            keysSeen.add(method + ":" + to.getAccessKey());
            Map<String, Object> b = buckets.get(to.getName());
            if (b == null) {
                throw new CloudRuntimeException("no such bucket " + to.getName());
            }
            return b;
        }

        @Override
        public DataStoreTO getStoreTO(DataStore store) {
            return null;
        }

        @Override
        public boolean createUser(long accountId, long storeId) {
            maybeFail("createUser");
            if (refuseUser) {
                return false;
            }
            String key = "fake-" + storeId + "-access";
            if (accountDetailsDao.findDetail(accountId, key) == null) {
                if (wipeDetails) {
                    accountDetailsDao.persist(accountId, Map.of(key, "AK" + accountId, "fake-secret", "SK" + accountId));
                } else {
                    accountDetailsDao.update(accountId, Map.of(key, "AK" + accountId, "fake-secret", "SK" + accountId));
                }
            }
            return true;
        }

        @Override
        public Bucket createBucket(Bucket bucket, boolean objectLock) {
            maybeFail("createBucket");
            if (buckets.putIfAbsent(bucket.getName(), new ConcurrentHashMap<>(Map.of("objectLock", objectLock))) != null) {
                throw new CloudRuntimeException("bucket exists: " + bucket.getName());
            }
            if (returnStale) {
                return bucket;
            }
            BucketVO row = bucketDao.findById(bucket.getId());
            row.setBucketURL("http://fake/" + bucket.getName());
            row.setAccessKey("AK" + bucket.getAccountId());
            row.setSecretKey("SK" + bucket.getAccountId());
            bucketDao.update(row.getId(), row);
            return bucketDao.findById(bucket.getId());
        }

        @Override
        public List<Bucket> listBuckets(long storeId) {
            maybeFail("listBuckets");
            List<Bucket> out = new ArrayList<>();
            for (String name : buckets.keySet()) {
                BucketObject b = new BucketObject();
                b.setName(name);
                out.add(b);
            }
            return out;
        }

        @Override
        public boolean deleteBucket(BucketTO bucket, long storeId) {
            maybeFail("deleteBucket");
            if (refuseDelete) {
                return false;
            }
            buckets.remove(bucket.getName());
            return true;
        }

        @Override
        public AccessControlList getBucketAcl(BucketTO bucket, long storeId) {
            return null;
        }

        @Override
        public void setBucketAcl(BucketTO bucket, AccessControlList acl, long storeId) {
        }

        @Override
        public void setBucketPolicy(BucketTO bucket, String policyType, long storeId) {
            bucket(bucket, "setBucketPolicy").put("policy", policyType);
        }

        @Override
        public BucketPolicy getBucketPolicy(BucketTO bucket, long storeId) {
            BucketPolicy p = new BucketPolicy();
            p.setPolicyText((String) bucket(bucket, "getBucketPolicy").get("policy"));
            return p;
        }

        @Override
        public void deleteBucketPolicy(BucketTO bucket, long storeId) {
            bucket(bucket, "deleteBucketPolicy").remove("policy");
        }

        @Override
        public boolean setBucketEncryption(BucketTO bucket, long storeId) {
            bucket(bucket, "setBucketEncryption").put("encryption", true);
            return true;
        }

        @Override
        public boolean deleteBucketEncryption(BucketTO bucket, long storeId) {
            bucket(bucket, "deleteBucketEncryption").put("encryption", false);
            return true;
        }

        @Override
        public boolean setBucketVersioning(BucketTO bucket, long storeId) {
            bucket(bucket, "setBucketVersioning").put("versioning", "Enabled");
            return true;
        }

        @Override
        public boolean deleteBucketVersioning(BucketTO bucket, long storeId) {
            bucket(bucket, "deleteBucketVersioning").put("versioning", "Suspended");
            return true;
        }

        @Override
        public void setBucketQuota(BucketTO bucket, long storeId, long size) {
            bucket(bucket, "setBucketQuota").put("quota", size);
        }

        @Override
        public Map<String, Long> getAllBucketsUsage(long storeId) {
            maybeFail("getAllBucketsUsage");
            return Map.copyOf(usage);
        }
    }
}
