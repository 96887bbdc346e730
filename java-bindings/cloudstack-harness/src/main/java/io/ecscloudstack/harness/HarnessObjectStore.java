package io.ecscloudstack.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.cloud.agent.api.to.BucketTO;
import com.cloud.agent.api.to.DataStoreTO;
import com.cloud.storage.DataStoreRole;
import org.apache.cloudstack.engine.subsystem.api.storage.DataObject;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreDriver;
import org.apache.cloudstack.engine.subsystem.api.storage.ObjectStoreProvider;
import org.apache.cloudstack.engine.subsystem.api.storage.Scope;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.object.Bucket;
import org.apache.cloudstack.storage.object.ObjectStoreDriver;
import org.apache.cloudstack.storage.object.ObjectStoreEntity;

/**
 * CloudStack's {@code ObjectStoreImpl} (main): the entity core services call, mapping each call
 * to the driver with the store's id. Every driver call is timed and recorded for the current step.
 */
final class HarnessObjectStore implements ObjectStoreEntity {
    private static final ThreadLocal<List<DriverCall>> CALLS = new ThreadLocal<>();

    private final ObjectStoreDriver driver;
    private final ObjectStoreVO store;
    private final ObjectStoreProvider provider;

    HarnessObjectStore(ObjectStoreDriver driver, ObjectStoreVO store, ObjectStoreProvider provider) {
        this.driver = driver;
        this.store = store;
        this.provider = provider;
    }

    /** Starts recording the driver calls made by this thread; returns the list they go to. */
    static List<DriverCall> startRecording() {
        List<DriverCall> calls = new ArrayList<>();
        CALLS.set(calls);
        return calls;
    }

    /** Stops recording for this thread. */
    static void stopRecording() {
        CALLS.remove();
    }

    private <T> T call(String method, Supplier<T> body) {
        long start = System.nanoTime();
        Throwable error = null;
        try {
            return body.get();
        } catch (RuntimeException | Error e) {
            error = e;
            throw e;
        } finally {
            List<DriverCall> calls = CALLS.get();
            if (calls != null) {
                calls.add(new DriverCall(method, Duration.ofNanos(System.nanoTime() - start), error));
            }
        }
    }

    private void run(String method, Runnable body) {
        call(method, () -> {
            body.run();
            return null;
        });
    }

    @Override
    public Bucket createBucket(Bucket bucket, boolean objectLock) {
        return call("createBucket", () -> driver.createBucket(bucket, objectLock));
    }

    @Override
    public List<Bucket> listBuckets() {
        return call("listBuckets", () -> driver.listBuckets(getId()));
    }

    @Override
    public boolean createUser(long accountId) {
        return call("createUser", () -> driver.createUser(accountId, getId()));
    }

    @Override
    public boolean deleteBucket(BucketTO bucket) {
        return call("deleteBucket", () -> driver.deleteBucket(bucket, getId()));
    }

    @Override
    public boolean setBucketEncryption(BucketTO bucket) {
        return call("setBucketEncryption", () -> driver.setBucketEncryption(bucket, getId()));
    }

    @Override
    public boolean deleteBucketEncryption(BucketTO bucket) {
        return call("deleteBucketEncryption", () -> driver.deleteBucketEncryption(bucket, getId()));
    }

    @Override
    public boolean setBucketVersioning(BucketTO bucket) {
        return call("setBucketVersioning", () -> driver.setBucketVersioning(bucket, getId()));
    }

    @Override
    public boolean deleteBucketVersioning(BucketTO bucket) {
        return call("deleteBucketVersioning", () -> driver.deleteBucketVersioning(bucket, getId()));
    }

    @Override
    public void setBucketPolicy(BucketTO bucket, String policy) {
        run("setBucketPolicy", () -> driver.setBucketPolicy(bucket, policy, getId()));
    }

    @Override
    public void setQuota(BucketTO bucket, int quota) {
        run("setBucketQuota", () -> driver.setBucketQuota(bucket, getId(), quota));
    }

    @Override
    public Map<String, Long> getAllBucketsUsage() {
        return call("getAllBucketsUsage", () -> driver.getAllBucketsUsage(getId()));
    }

    @Override
    public DataStoreDriver getDriver() {
        return driver;
    }

    @Override
    public DataStoreRole getRole() {
        return null;
    }

    @Override
    public long getId() {
        return store.getId();
    }

    @Override
    public String getUuid() {
        return store.getUuid();
    }

    @Override
    public String getUri() {
        return store.getUrl();
    }

    @Override
    public String getUrl() {
        return store.getUrl();
    }

    @Override
    public String getName() {
        return store.getName();
    }

    @Override
    public String getProviderName() {
        return provider.getName();
    }

    @Override
    public Scope getScope() {
        return null;
    }

    @Override
    public DataObject create(DataObject obj) {
        return null;
    }

    @Override
    public boolean delete(DataObject obj) {
        return false;
    }

    @Override
    public DataStoreTO getTO() {
        return null;
    }
}
