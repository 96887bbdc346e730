package io.ecscloudstack.harness;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import com.cloud.agent.api.to.BucketTO;
import com.cloud.domain.DomainVO;
import com.cloud.exception.InvalidParameterValueException;
import com.cloud.projects.ProjectVO;
import com.cloud.storage.BucketVO;
import com.cloud.storage.DataStoreRole;
import com.cloud.user.Account;
import com.cloud.user.AccountVO;
import com.cloud.utils.exception.CloudRuntimeException;
import io.ecscloudstack.harness.dao.InMemoryAccountDao;
import io.ecscloudstack.harness.dao.InMemoryAccountDetailsDao;
import io.ecscloudstack.harness.dao.InMemoryDomainDao;
import io.ecscloudstack.harness.dao.InMemoryProjectDao;
import io.ecscloudstack.harness.dao.InMemoryBucketDao;
import io.ecscloudstack.harness.dao.InMemoryDao;
import io.ecscloudstack.harness.dao.InMemoryObjectStoreDao;
import io.ecscloudstack.harness.dao.InMemoryObjectStoreDetailsDao;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStore;
import org.apache.cloudstack.engine.subsystem.api.storage.ObjectStoreProvider;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.object.Bucket;
import org.apache.cloudstack.storage.object.ObjectStoreEntity;

/**
 * Plays Apache CloudStack's part around any object-store provider: in-memory DAOs, the
 * management server's start-up wiring ({@code @Inject} fields, {@code configure}), and the exact
 * driver call sequences of "add object storage", {@code BucketApiServiceImpl} (allocBucket,
 * the createBucket job, updateBucket, deleteBucket), the hourly usage task and store
 * administration, as CloudStack main does them.
 *
 * <p>Each step returns a {@link StepReport} (outcome as CloudStack would report it, time taken,
 * driver calls, DAO content afterwards) and is appended to {@link #journal()}. Steps are
 * thread-safe: API threads run concurrently in CloudStack, and so may callers here.
 *
 * <p>Left out on purpose: access checks and resource limits (not the driver's business), and
 * the {@code bucket_statistics} table the usage task also feeds.
 */
public final class CloudStackHarness {
    private final InMemoryAccountDao accountDao = new InMemoryAccountDao();
    private final InMemoryDomainDao domainDao = new InMemoryDomainDao();
    private final InMemoryProjectDao projectDao = new InMemoryProjectDao();
    private final InMemoryAccountDetailsDao accountDetailsDao = new InMemoryAccountDetailsDao();
    private final InMemoryBucketDao bucketDao = new InMemoryBucketDao();
    private final InMemoryObjectStoreDao storeDao = new InMemoryObjectStoreDao();
    private final InMemoryObjectStoreDetailsDao storeDetailsDao = new InMemoryObjectStoreDetailsDao();
    private final HarnessProviderManager providers = new HarnessProviderManager(storeDao);
    private final List<StepReport<?>> journal = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<List<String>> findings = new ThreadLocal<>();
    private final BucketCredentialFlows bucketCredentials = new BucketCredentialFlows(this, bucketDao);

    private CloudStackHarness() {
        // CloudStack's ROOT domain (id 1), where createAccount(name) puts accounts.
        DomainVO root = new DomainVO("ROOT", 2L, null, null);
        root.setPath("/");
        domainDao.persist(root);
    }

    /**
     * Starts a "management server" with the given providers, the way CloudStack does: their
     * {@code @Inject} fields are filled, {@code configure(new HashMap<>())} is called, then the
     * lifecycle and driver they built are wired too.
     *
     * @param objectStoreProviders the providers to load
     * @return the running harness
     * @throws IllegalStateException if a provider cannot be wired, refuses to configure or
     *         registers no driver under its name
     */
    public static CloudStackHarness start(ObjectStoreProvider... objectStoreProviders) {
        CloudStackHarness h = new CloudStackHarness();
        Injector injector = h.injector();
        for (ObjectStoreProvider p : objectStoreProviders) {
            h.load(injector, p);
        }
        return h;
    }

    /**
     * Starts one management server of a cluster: like {@link #start}, but CloudStack's tables live
     * in the directory {@code database}, shared with every harness started on it, in this process
     * or another, as the management servers of a cluster share one MySQL database. Each DAO call
     * is one transaction over its table; everything else (the providers, their drivers and
     * sessions, the journal) is this server's own.
     *
     * @param database the directory holding the tables (it must exist)
     * @param objectStoreProviders the providers to load
     * @return the running harness
     * @throws IllegalStateException if a provider cannot be wired (see {@link #start})
     * @throws java.io.UncheckedIOException if a table's file cannot be used
     */
    public static CloudStackHarness startShared(Path database, ObjectStoreProvider... objectStoreProviders) {
        CloudStackHarness h = new CloudStackHarness();
        // Every table of the harness, found by type, so a table added later is shared too.
        for (Field f : CloudStackHarness.class.getDeclaredFields()) {
            if (InMemoryDao.class.isAssignableFrom(f.getType())) {
                try {
                    ((InMemoryDao<?>) f.get(h)).shareThrough(database.resolve(f.getName() + ".table"));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot reach the table " + f.getName(), e);
                }
            }
        }
        Injector injector = h.injector();
        for (ObjectStoreProvider p : objectStoreProviders) {
            h.load(injector, p);
        }
        return h;
    }

    private Injector injector() {
        Injector injector = new Injector();
        for (Object c : List.of(accountDao, domainDao, projectDao, accountDetailsDao, bucketDao, storeDao, storeDetailsDao, providers)) {
            injector.register(c);
        }
        HarnessObjectStoreHelper helper = new HarnessObjectStoreHelper();
        injector.inject(helper);
        injector.register(helper);
        return injector;
    }

    private void load(Injector injector, ObjectStoreProvider provider) {
        injector.inject(provider);
        providers.addProvider(provider);
        if (!provider.configure(new HashMap<>())) {
            throw new IllegalStateException("provider " + provider.getName() + " refused to configure");
        }
        if (provider.getDataStoreLifeCycle() != null) {
            injector.inject(provider.getDataStoreLifeCycle());
        }
        if (provider.getDataStoreDriver() != null) {
            injector.inject(provider.getDataStoreDriver());
        }
        if (providers.driver(provider.getName()) == null) {
            throw new IllegalStateException("provider " + provider.getName() + " registered no driver under its name");
        }
        if (providers.driver(provider.getName()) != provider.getDataStoreDriver()) {
            injector.inject(providers.driver(provider.getName()));
        }
    }

    // ---- DAOs and setup -------------------------------------------------------------------

    /**
     * @return PR #14170's per-bucket credential flows (ahead of CloudStack), for drivers that
     *     implement {@code BucketCredentialsDriver}
     */
    public BucketCredentialFlows bucketCredentials() {
        return bucketCredentials;
    }

    /** @param storeId a store @return the driver registered for its provider, or null */
    org.apache.cloudstack.storage.object.ObjectStoreDriver driverFor(long storeId) {
        ObjectStoreVO store = storeDao.findById(storeId);
        return store == null ? null : providers.driver(store.getProviderName());
    }

    /**
     * CloudStack's rows in the shape {@code ecsctl drift --cloudstack} reads (documented in
     * {@code ecs_driver::drift}): every account with its UUID, whether it was removed and its
     * domain's UUID (which {@code tenancy=domain} judges its buckets by), and the
     * store's bucket rows with their account's UUID.
     *
     * @param storeId the store
     * @return the rows as JSON
     */
    public String driftRows(long storeId) {
        StringBuilder out = new StringBuilder("{\"accounts\":[");
        String sep = "";
        for (AccountVO a : accountDao.listAllIncludingRemoved()) {
            out.append(sep).append("{\"uuid\":\"").append(a.getUuid()).append("\",\"removed\":")
                    .append(a.getRemoved() != null);
            DomainVO domain = domainDao.findByIdIncludingRemoved(a.getDomainId());
            if (domain != null) {
                out.append(",\"domain_uuid\":\"").append(domain.getUuid()).append('"');
            }
            out.append('}');
            sep = ",";
        }
        out.append("],\"buckets\":[");
        sep = "";
        for (BucketVO b : bucketDao.listByObjectStoreId(storeId)) {
            AccountVO owner = accountDao.findByIdIncludingRemoved(b.getAccountId());
            out.append(sep).append("{\"name\":\"").append(b.getName()).append("\",\"account_uuid\":\"")
                    .append(owner == null ? "" : owner.getUuid()).append("\"}");
            sep = ",";
        }
        return out.append("]}").toString();
    }

    /** @return the account table */
    public InMemoryAccountDao accountDao() {
        return accountDao;
    }

    /** @return the domain table (ROOT, id 1, is there from the start) */
    public InMemoryDomainDao domainDao() {
        return domainDao;
    }

    /**
     * Creates a domain below ROOT, as {@code createDomain} does.
     *
     * @param name the domain's name
     * @return the persisted domain, with its id and a random UUID
     */
    public DomainVO createDomain(String name) {
        DomainVO domain = new DomainVO(name, 2L, 1L, null);
        domain.setPath("/" + name + "/");
        domain.setLevel(1);
        return domainDao.persist(domain);
    }

    /**
     * Creates an enabled user account in a domain.
     *
     * @param name the account's name
     * @param domainId the domain's id
     * @return the persisted account, with its id and a random UUID
     */
    public AccountVO createAccount(String name, long domainId) {
        AccountVO account = new AccountVO(name, domainId, null, Account.Type.NORMAL, UUID.randomUUID().toString());
        return accountDao.persist(account);
    }

    /** @return the project table */
    public InMemoryProjectDao projectDao() {
        return projectDao;
    }

    /**
     * Creates a project in a domain, as {@code createProject} does: its account (type
     * {@code PROJECT}), which owns the project's buckets, and its row.
     *
     * @param name the project's name
     * @param domainId the domain's id
     * @return the persisted project; {@code getProjectAccountId()} is its account
     */
    public ProjectVO createProject(String name, long domainId) {
        AccountVO account = accountDao.persist(new AccountVO("PrjAcct-" + name, domainId, null,
                Account.Type.PROJECT, UUID.randomUUID().toString()));
        return projectDao.persist(new ProjectVO(name, name, domainId, account.getId()));
    }

    /** @return the account-details table */
    public InMemoryAccountDetailsDao accountDetailsDao() {
        return accountDetailsDao;
    }

    /** @return the bucket table */
    public InMemoryBucketDao bucketDao() {
        return bucketDao;
    }

    /** @return the object-store table */
    public InMemoryObjectStoreDao objectStoreDao() {
        return storeDao;
    }

    /** @return the object-store-details table */
    public InMemoryObjectStoreDetailsDao objectStoreDetailsDao() {
        return storeDetailsDao;
    }

    /**
     * Creates an enabled user account in domain 1.
     *
     * @param name the account's name
     * @return the persisted account, with its id and a random UUID
     */
    public AccountVO createAccount(String name) {
        AccountVO account = new AccountVO(name, 1L, null, Account.Type.NORMAL, UUID.randomUUID().toString());
        return accountDao.persist(account);
    }

    /** @return what the DAOs hold now */
    public DaoSnapshot snapshot() {
        return new DaoSnapshot(storeDao.listAllIncludingRemoved(), storeDetailsDao.listAll(),
                bucketDao.listAllIncludingRemoved(), accountDetailsDao.listAll());
    }

    /** @return every step run so far, in completion order */
    public List<StepReport<?>> journal() {
        synchronized (journal) {
            return List.copyOf(journal);
        }
    }

    // ---- steps ----------------------------------------------------------------------------

    private <T> StepReport<T> step(String name, Supplier<T> body) {
        List<DriverCall> calls = HarnessObjectStore.startRecording();
        List<String> notes = new ArrayList<>();
        findings.set(notes);
        int replacingWrites = accountDetailsDao.replacingWritesByThisThread();
        long start = System.nanoTime();
        T value = null;
        RuntimeException error = null;
        try {
            value = body.get();
        } catch (RuntimeException e) {
            error = e;
        } finally {
            HarnessObjectStore.stopRecording();
            findings.remove();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (accountDetailsDao.replacingWritesByThisThread() > replacingWrites) {
            notes.add("AccountDetailsDao.persist(accountId, map) was called: it deletes every other detail of the"
                    + " account; merge with update(accountId, map) or addDetail instead");
        }
        StepReport<T> report = new StepReport<>(name, error == null, value, error, took, List.copyOf(calls),
                List.copyOf(notes), snapshot());
        journal.add(report);
        return report;
    }

    private void finding(String text) {
        List<String> notes = findings.get();
        if (notes != null) {
            notes.add(text);
        }
    }

    private void checkReturnedBucket(Bucket returned) {
        if (returned == null) {
            finding("createBucket returned null: CloudStack's follow-up calls fail on it");
        } else if (returned.getAccessKey() == null || returned.getSecretKey() == null
                || returned.getBucketURL() == null) {
            finding("createBucket returned a bucket without access key, secret key or URL: the follow-up calls"
                    + " get a BucketTO without keys; return the refreshed BucketVO");
        }
    }

    private ObjectStoreEntity entity(long storeId) {
        ObjectStoreEntity e = providers.getObjectStore(storeId);
        if (e == null) {
            throw new InvalidParameterValueException("Unable to find object store with id " + storeId);
        }
        return e;
    }

    /**
     * "Add object storage" ({@code StorageManagerImpl.discoverObjectStore}): provider lookup,
     * name and URL checks, then the provider lifecycle's {@code initialize}.
     *
     * @param providerName the provider's name as the UI sends it
     * @param name the store's name
     * @param url the store's URL
     * @param details the details form's key/value pairs
     * @return the step; its value is the persisted store row
     */
    public StepReport<ObjectStoreVO> addObjectStore(String providerName, String name, String url,
            Map<String, String> details) {
        return step("addObjectStore", () -> {
            ObjectStoreProvider provider = providers.provider(providerName);
            if (provider == null) {
                throw new InvalidParameterValueException("can't find object store provider: " + providerName);
            }
            if (storeDao.findByName(name) != null) {
                throw new InvalidParameterValueException("The object store with name " + name + " already exists");
            }
            validateUrl(url);
            if (storeDao.findByUrl(url) != null) {
                throw new InvalidParameterValueException("The object store with url " + url + " already exists");
            }
            Map<String, Object> params = new HashMap<>();
            params.put("url", url);
            params.put("name", name);
            params.put("size", 0L);
            params.put("providerName", provider.getName());
            params.put("role", DataStoreRole.Object);
            params.put("details", details);
            DataStore store;
            try {
                store = provider.getDataStoreLifeCycle().initialize(params);
            } catch (Exception e) {
                throw new CloudRuntimeException("Failed to add object store: " + e.getMessage(), e);
            }
            if (store == null) {
                throw new CloudRuntimeException("Failed to add object store: the lifecycle returned no store");
            }
            return storeDao.findById(store.getId());
        });
    }

    private static void validateUrl(String url) {
        URI uri;
        try {
            uri = url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid URL: " + url, e);
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Invalid URL: " + url);
        }
    }

    /**
     * Phase 1 of {@code createBucket} ({@code allocBucket}, in the API thread): name check,
     * {@code createUser}, then the Allocated row.
     *
     * @param request the API parameters
     * @return the step; its value is the allocated row
     */
    public StepReport<BucketVO> allocBucket(BucketRequest request) {
        return step("allocBucket", () -> {
            String problem = BucketNames.problem(request.name());
            if (problem != null) {
                throw new InvalidParameterValueException("Invalid Bucket Name: " + problem);
            }
            AccountVO owner = accountDao.findById(request.accountId());
            if (owner == null || owner.getState() != Account.State.ENABLED) {
                throw new InvalidParameterValueException("Unable to find active account " + request.accountId());
            }
            ObjectStoreEntity e = entity(request.storeId());
            boolean userReady;
            try {
                userReady = e.createUser(owner.getId());
            } catch (CloudRuntimeException ex) {
                throw new CloudRuntimeException("Failed to create bucket", ex);
            }
            if (!userReady) {
                throw new CloudRuntimeException("Failed to create bucket");
            }
            return bucketDao.persist(new BucketVO(owner.getId(), owner.getDomainId(), request.storeId(), request.name(),
                    request.quota(), request.versioning(), request.encryption(), request.objectLocking(),
                    request.policy()));
        });
    }

    /**
     * Phase 2 of {@code createBucket} (the async job, main): the driver's {@code createBucket},
     * then versioning, encryption, quota and policy on a {@code BucketTO} built from what the
     * driver returned, then state Created; on failure, cleanup and "Failed to create bucket".
     *
     * @param bucketId the allocated row
     * @param request the API parameters
     * @return the step; its value is the row as stored afterwards
     */
    public StepReport<BucketVO> createBucketJob(long bucketId, BucketRequest request) {
        return step("createBucket", () -> {
            BucketVO bucket = bucketDao.findById(bucketId);
            if (bucket == null) {
                throw new InvalidParameterValueException("Unable to find bucket with ID: " + bucketId);
            }
            ObjectStoreEntity e = entity(bucket.getObjectStoreId());
            BucketTO bucketTO = new BucketTO(bucket);
            boolean created = false;
            boolean credentialCreated = false;
            try {
                Bucket returned = e.createBucket(bucket, request.objectLocking());
                checkReturnedBucket(returned);
                bucketTO = new BucketTO(returned);
                created = true;
                // PR #14170 (ahead of CloudStack): a migrated account's bucket gets its own credential.
                if (bucketCredentials.enabledFor(bucket)) {
                    bucketCredentials.provision(bucket);
                    credentialCreated = true;
                    bucket = bucketDao.findById(bucketId);
                    bucketTO = new BucketTO(bucket);
                }
                if (request.versioning()) {
                    e.setBucketVersioning(bucketTO);
                }
                if (request.encryption()) {
                    e.setBucketEncryption(bucketTO);
                }
                if (request.quota() != null) {
                    e.setQuota(bucketTO, request.quota());
                }
                if (request.policy() != null) {
                    e.setBucketPolicy(bucketTO, request.policy());
                }
                bucket.setState(Bucket.State.Created);
                bucketDao.update(bucket.getId(), bucket);
            } catch (Exception ex) {
                if (credentialCreated) {
                    bucketCredentials.remove(bucket, bucketTO, false);
                }
                if (created) {
                    e.deleteBucket(bucketTO);
                }
                bucketDao.remove(bucketId);
                throw new CloudRuntimeException(
                        "Failed to create bucket with name: " + bucket.getName() + ". " + ex.getMessage(), ex);
            }
            return bucketDao.findById(bucketId);
        });
    }

    /**
     * The whole {@code createBucket} API: {@link #allocBucket} then, if it succeeded,
     * {@link #createBucketJob}. Both steps are journaled.
     *
     * @param request the API parameters
     * @return the job's step, or the allocBucket step if that failed
     */
    public StepReport<BucketVO> createBucket(BucketRequest request) {
        StepReport<BucketVO> alloc = allocBucket(request);
        return alloc.succeeded() ? createBucketJob(alloc.value().getId(), request) : alloc;
    }

    /**
     * {@code updateBucket} (main): encryption, versioning, policy, quota in that order, each only
     * when sent, with a {@code BucketTO} built from the stored row; no rollback.
     *
     * @param bucketId the bucket
     * @param update the parameters sent
     * @return the step; its value is the row as stored afterwards
     */
    public StepReport<BucketVO> updateBucket(long bucketId, BucketUpdate update) {
        return step("updateBucket", () -> {
            BucketVO bucket = bucketDao.findById(bucketId);
            if (bucket == null) {
                throw new InvalidParameterValueException("Unable to find bucket with ID: " + bucketId);
            }
            BucketTO bucketTO = new BucketTO(bucket);
            ObjectStoreEntity e = entity(bucket.getObjectStoreId());
            try {
                applyUpdate(e, bucketTO, bucket, update);
                bucketDao.update(bucketId, bucket);
            } catch (Exception ex) {
                throw new CloudRuntimeException(
                        "Error while updating bucket: " + bucket.getName() + ". " + ex.getMessage(), ex);
            }
            return bucketDao.findById(bucketId);
        });
    }

    private static void applyUpdate(ObjectStoreEntity e, BucketTO to, BucketVO bucket, BucketUpdate update) {
        if (update.encryption() != null) {
            if (update.encryption()) {
                e.setBucketEncryption(to);
            } else {
                e.deleteBucketEncryption(to);
            }
            bucket.setEncryption(update.encryption());
        }
        if (update.versioning() != null) {
            if (update.versioning()) {
                e.setBucketVersioning(to);
            } else {
                e.deleteBucketVersioning(to);
            }
            bucket.setVersioning(update.versioning());
        }
        if (update.policy() != null) {
            e.setBucketPolicy(to, update.policy());
            bucket.setPolicy(update.policy());
        }
        if (update.quota() != null) {
            e.setQuota(to, update.quota());
            bucket.setQuota(update.quota());
        }
    }

    /**
     * {@code deleteBucket}: the driver's {@code deleteBucket}; true soft-deletes the row, false
     * is reported as a failure.
     *
     * @param bucketId the bucket
     * @return the step; its value is true once the row is removed
     */
    public StepReport<Boolean> deleteBucket(long bucketId) {
        return step("deleteBucket", () -> {
            BucketVO bucket = bucketDao.findById(bucketId);
            if (bucket == null) {
                throw new InvalidParameterValueException("Unable to find bucket with ID: " + bucketId);
            }
            ObjectStoreEntity e = entity(bucket.getObjectStoreId());
            BucketTO bucketTO = new BucketTO(bucket);
            if (!e.deleteBucket(bucketTO)) {
                throw new CloudRuntimeException("Failed to delete Bucket");
            }
            bucketCredentials.remove(bucket, bucketTO, true);
            return bucketDao.remove(bucketId);
        });
    }

    /**
     * One run of the hourly {@code BucketUsageTask} (main): for every store,
     * {@code getAllBucketsUsage}, then each bucket row found in the map gets its size. An
     * exception from any store ends the whole run, as in main.
     *
     * @return the step; its value maps bucket id to the size written
     */
    public StepReport<Map<Long, Long>> runUsageTask() {
        return step("usageTask", () -> {
            Map<Long, Long> written = new LinkedHashMap<>();
            for (ObjectStoreVO store : storeDao.listObjectStores()) {
                Map<String, Long> sizes = entity(store.getId()).getAllBucketsUsage();
                for (BucketVO b : bucketDao.listByObjectStoreId(store.getId())) {
                    Long size = sizes == null ? null : sizes.get(b.getName());
                    if (size != null) {
                        b.setSize(size);
                        bucketDao.update(b.getId(), b);
                        written.put(b.getId(), size);
                    }
                }
            }
            return written;
        });
    }

    /**
     * {@code updateObjectStoragePool} with a new URL: the row is updated, then the driver's
     * {@code listBuckets} must work, else the URL is reverted.
     *
     * @param storeId the store
     * @param url the new URL
     * @return the step; its value is the store row afterwards
     */
    public StepReport<ObjectStoreVO> updateObjectStoreUrl(long storeId, String url) {
        return step("updateObjectStore", () -> {
            ObjectStoreVO store = storeDao.findById(storeId);
            if (store == null) {
                throw new InvalidParameterValueException("Unable to find object store with id " + storeId);
            }
            ObjectStoreEntity e = entity(storeId);
            String previous = store.getUrl();
            store.setUrl(url);
            storeDao.update(storeId, store);
            try {
                e.listBuckets();
            } catch (Exception ex) {
                store.setUrl(previous);
                storeDao.update(storeId, store);
                throw new IllegalArgumentException("Unable to access Object Storage with URL: " + url, ex);
            }
            return storeDao.findById(storeId);
        });
    }

    /**
     * {@code deleteObjectStoragePool}: refused while buckets exist; no driver call.
     *
     * @param storeId the store
     * @return the step; its value is true once removed
     */
    public StepReport<Boolean> deleteObjectStore(long storeId) {
        return step("deleteObjectStore", () -> {
            if (storeDao.findById(storeId) == null) {
                throw new InvalidParameterValueException("Unable to find object store with id " + storeId);
            }
            if (!bucketDao.listByObjectStoreId(storeId).isEmpty()) {
                throw new CloudRuntimeException("Cannot delete object store with buckets");
            }
            storeDetailsDao.deleteDetails(storeId);
            return storeDao.remove(storeId);
        });
    }
}
