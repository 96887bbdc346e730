package io.ecscloudstack.ecs;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongFunction;

/**
 * One CloudStack object store on Dell ECS: the Java face of {@code ecs_driver::EcsObjectStore}.
 *
 * <p>Open it with the store's details map, share it between threads, and close it when the store
 * is removed or its details change. Every method blocks until ECS has answered and throws
 * {@link EcsException} on failure; a closed store throws {@link ErrorCode#CLOSED}.
 *
 * <p>{@link #close()} waits for calls in flight to finish, then logs out and releases the native
 * object; it is idempotent. There is no finalizer: a store that is never closed keeps its native
 * object (and the library's worker threads) until the JVM exits.
 */
public final class EcsObjectStore implements AutoCloseable {
    /** Calls hold the read side while they use {@link #handle}; close takes the write side. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long handle;
    /** The domain-less view: the store's own account and bucket operations run through it. */
    private final InDomain shared = new InDomain(null);

    private EcsObjectStore(long handle) {
        this.handle = handle;
    }

    /**
     * Validates the details (without network) and builds a store.
     *
     * @param details CloudStack's object-store details: {@code mgmt_url}, {@code sa_user},
     *                {@code sa_password}, {@code namespace}, {@code s3_public_url}, and optional keys
     * @return the open store
     * @throws EcsException {@link ErrorCode#INVALID_INPUT} naming the detail at fault
     */
    public static EcsObjectStore open(Map<String, String> details) {
        return open(null, details);
    }

    /**
     * The version of the loaded native library, asked of the library itself: the cheapest call
     * into Rust and back (the benchmark's measure of one JNI crossing).
     *
     * @return the native library's version, such as {@code 0.1.0}
     */
    public static String nativeVersion() {
        NativeLibrary.load();
        return EcsNative.version();
    }

    /**
     * Validates one CloudStack object store (without network) and builds it. Which of the URL and
     * the details wins is decided by the Rust driver ({@code StoreConfig}): the store URL is the
     * public S3 URL (the upstream ECS form's "ECS Public URL"), {@code s3_public_url} may stand
     * in for it, {@code s3_host} or {@code s3_private_url} name the S3 URL the driver uses, and
     * contradictions are refused naming the fields.
     *
     * @param storeUrl the store's URL ({@code object_store.url}), or {@code null}
     * @param details  the store's details
     * @return the open store
     * @throws EcsException {@link ErrorCode#INVALID_INPUT} naming the detail at fault
     */
    public static EcsObjectStore open(String storeUrl, Map<String, String> details) {
        Checks.notNull(details, "details");
        NativeLibrary.load();
        String[] flat = new String[details.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> entry : details.entrySet()) {
            flat[i++] = entry.getKey();
            flat[i++] = entry.getValue();
        }
        return new EcsObjectStore(EcsNative.storeOpen(storeUrl, flat));
    }

    /** @return the outcome of each connectivity check (login, role, namespace, S3, ...) */
    public CheckReport check() {
        return call(EcsNative::storeCheck);
    }

    /**
     * Makes sure the account's ECS object user exists and has a secret key.
     *
     * @param accountUuid  the CloudStack account UUID
     * @param storedOrNull the credentials CloudStack stored for the account, or {@code null}
     * @return the credentials to store
     */
    public AccountCredentials ensureAccountUser(String accountUuid, AccountCredentials storedOrNull) {
        return shared.ensureAccountUser(accountUuid, storedOrNull);
    }

    /**
     * Creates a bucket with every option of the spec.
     *
     * @param spec what to create
     * @return the bucket's name, URL and owner credentials
     */
    public CreatedBucket createBucket(BucketSpec spec) {
        Checks.notNull(spec, "spec");
        AccountCredentials credentials = spec.credentials();
        String userId = credentials == null ? null : credentials.userId();
        String secretKey = credentials == null ? null : credentials.secretKey();
        return call(h -> EcsNative.storeCreateBucket(h, spec.name(), spec.accountUuid(), userId, secretKey,
                spec.quotaGib(),
                spec.encryption(), spec.versioning(), spec.policy(), spec.objectLock(), spec.storeUuid(),
                spec.domainUuid(), spec.projectUuid()));
    }

    /** @param bucket the bucket @param enabled versioning on (or suspended) */
    public void setVersioning(String bucket, boolean enabled) {
        shared.setVersioning(bucket, enabled);
    }

    /** @param bucket the bucket @param enabled server-side encryption (fixed at creation on ECS) */
    public void setEncryption(String bucket, boolean enabled) {
        shared.setEncryption(bucket, enabled);
    }

    /** @param bucket the bucket @param gib the hard quota in GiB; 0 removes it */
    public void setQuota(String bucket, long gib) {
        shared.setQuota(bucket, gib);
    }

    /** @param bucket the bucket @param policy {@code public}, {@code private} or a JSON policy */
    public void setPolicy(String bucket, String policy) {
        shared.setPolicy(bucket, policy);
    }

    /** @param bucket the bucket @return the policy document, or {@code null} when none is set */
    public String getPolicy(String bucket) {
        return shared.getPolicy(bucket);
    }

    /** Deletes an empty bucket; a missing bucket is not an error. @param bucket the bucket */
    public void deleteBucket(String bucket) {
        shared.deleteBucket(bucket);
    }

    /** @return the buckets of the store's namespace */
    public List<BucketSummary> listBuckets() {
        return List.of(call(EcsNative::storeListBuckets));
    }

    /** @return bytes used, by bucket name (in name order) */
    public Map<String, Long> usage() {
        Map<String, Long> usage = new LinkedHashMap<>();
        for (BucketUsage row : call(EcsNative::storeUsage)) {
            usage.put(row.bucket(), row.bytes());
        }
        return Collections.unmodifiableMap(usage);
    }

    /**
     * @param accountUuid the account
     * @param graceSeconds how long the old key keeps working
     * @return the new credentials
     */
    public AccountCredentials rotateAccountKey(String accountUuid, long graceSeconds) {
        return shared.rotateAccountKey(accountUuid, graceSeconds);
    }

    /** Deletes the account's ECS object user. @param accountUuid the account */
    public void deleteAccountUser(String accountUuid) {
        shared.deleteAccountUser(accountUuid);
    }

    /** @return why buckets of this store cannot get their own credential, or {@code null} when they can */
    public String bucketCredentialsUnsupportedReason() {
        return call(EcsNative::storeBucketCredentialsUnsupportedReason);
    }

    /** @param accountUuid the account @return whether its new buckets get their own credential */
    public boolean accountSupportsBucketCredentials(String accountUuid) {
        return shared.accountSupportsBucketCredentials(accountUuid);
    }

    /** Moves the account onto per-bucket credentials (idempotent). @param accountUuid the account */
    public void migrateAccountForBucketCredentials(String accountUuid) {
        shared.migrateAccountForBucketCredentials(accountUuid);
    }

    /** @param accountUuid the account @return whether its migrated key still waits for rotation */
    public boolean isAccountKeyRotationPending(String accountUuid) {
        return shared.isAccountKeyRotationPending(accountUuid);
    }

    /**
     * Rotates a migrated account's key; the old one ends after the store's grace.
     *
     * @param accountUuid the account
     * @return the new credentials
     */
    public AccountCredentials rotateMigratedAccountKey(String accountUuid) {
        return shared.rotateMigratedAccountKey(accountUuid);
    }

    /**
     * Gives a bucket its own ECS user, granted that bucket only (idempotent).
     *
     * @param bucket the bucket
     * @return the credential: its user id is the credential's id and access key
     */
    public AccountCredentials createBucketCredential(String bucket) {
        return shared.createBucketCredential(bucket);
    }

    /** @param bucket the bucket @return the credential's new second key */
    public AccountCredentials createBucketCredentialKey(String bucket) {
        return shared.createBucketCredentialKey(bucket);
    }

    /**
     * Removes the older key of the bucket's credential when {@code accessKey} is its user id.
     *
     * @param bucket the bucket
     * @param accessKey the access key CloudStack names
     */
    public void removeBucketCredentialKey(String bucket, String accessKey) {
        shared.removeBucketCredentialKey(bucket, accessKey);
    }

    /** Removes the bucket's credential: its policy grant and its user. @param bucket the bucket */
    public void deleteBucketCredential(String bucket) {
        shared.deleteBucketCredential(bucket);
    }

    /**
     * @param credentials the bucket owner's credentials
     * @param bucket      the bucket
     * @param prefix      the key prefix, or {@code null} for all
     * @return the objects under the prefix
     */
    public List<ObjectEntry> listObjects(AccountCredentials credentials, String bucket, String prefix) {
        Checks.notNull(credentials, "credentials");
        return Arrays.asList(call(h -> EcsNative.storeListObjects(h, credentials.userId(), credentials.secretKey(),
                bucket, prefix)));
    }

    /**
     * @param credentials the bucket owner's credentials
     * @param bucket      the bucket
     * @param prefix      the key prefix, or {@code null} for all
     * @return every version and delete marker under the prefix
     */
    public List<ObjectVersionEntry> listVersions(AccountCredentials credentials, String bucket, String prefix) {
        Checks.notNull(credentials, "credentials");
        return Arrays.asList(call(h -> EcsNative.storeListVersions(h, credentials.userId(),
                credentials.secretKey(), bucket, prefix)));
    }

    /** Uploads an object. */
    public void putObject(AccountCredentials credentials, String bucket, String key, byte[] data) {
        Checks.notNull(credentials, "credentials");
        run(h -> EcsNative.storePutObject(h, credentials.userId(), credentials.secretKey(), bucket, key, data));
    }

    /** @return the object's content */
    public byte[] getObject(AccountCredentials credentials, String bucket, String key) {
        Checks.notNull(credentials, "credentials");
        return call(h -> EcsNative.storeGetObject(h, credentials.userId(), credentials.secretKey(), bucket, key));
    }

    /** Deletes an object (a delete marker in a versioned bucket). */
    public void deleteObject(AccountCredentials credentials, String bucket, String key) {
        Checks.notNull(credentials, "credentials");
        run(h -> EcsNative.storeDeleteObject(h, credentials.userId(), credentials.secretKey(), bucket, key));
    }

    /** Deletes one version of an object (one under object-lock retention is refused until it ends). */
    public void deleteObjectVersion(AccountCredentials credentials, String bucket, String key, String versionId) {
        Checks.notNull(credentials, "credentials");
        run(h -> EcsNative.storeDeleteObjectVersion(h, credentials.userId(), credentials.secretKey(), bucket, key,
                versionId));
    }

    /**
     * The drift report ({@code ecsctl drift} without {@code --fix}): reads what the driver made on
     * ECS and compares it with CloudStack's rows. Read-only.
     *
     * @param rowsJson CloudStack's account and bucket rows in the shape the Rust driver's
     *                 {@code drift} module documents (the harness writes it), or {@code null}
     * @return the report
     */
    public DriftReport drift(String rowsJson) {
        return call(h -> EcsNative.storeDrift(h, rowsJson));
    }

    /** @return a presigned GET URL valid for {@code seconds} */
    public String presignGet(AccountCredentials credentials, String bucket, String key, long seconds) {
        Checks.notNull(credentials, "credentials");
        return call(h -> EcsNative.storePresignGet(h, credentials.userId(), credentials.secretKey(), bucket, key,
                seconds));
    }

    /**
     * The store's operations about the accounts and buckets of one CloudStack domain: with the
     * store detail {@code tenancy=domain} they act in that domain's own ECS namespace (made on
     * first use); with {@code tenancy=shared} (the default) exactly as this store's. The view
     * shares this store's session and needs no closing; after {@link #close()} it throws
     * {@link ErrorCode#CLOSED} too.
     *
     * @param domainUuid the UUID of the account's domain ({@code DomainVO.getUuid()}), or
     *                   {@code null} when it is unknown (then the view acts as this store, which
     *                   in {@code tenancy=domain} refuses calls about an account or bucket)
     * @return the view; the UUID is checked by the first call
     */
    public InDomain forDomain(String domainUuid) {
        return new InDomain(domainUuid);
    }

    /** The operations of one CloudStack domain (see {@link #forDomain(String)}). */
    public final class InDomain {
        private final String domain;

        private InDomain(String domain) {
            this.domain = domain;
        }

        /** @return the domain's UUID as given, or {@code null} */
        public String domainUuid() {
            return domain;
        }

        /** @see EcsObjectStore#ensureAccountUser(String, AccountCredentials) */
        public AccountCredentials ensureAccountUser(String accountUuid, AccountCredentials storedOrNull) {
            String userId = storedOrNull == null ? null : storedOrNull.userId();
            String secretKey = storedOrNull == null ? null : storedOrNull.secretKey();
            return call(h -> EcsNative.storeEnsureAccountUser(h, domain, accountUuid, userId, secretKey));
        }

        /** @see EcsObjectStore#setVersioning(String, boolean) */
        public void setVersioning(String bucket, boolean enabled) {
            run(h -> EcsNative.storeSetVersioning(h, domain, bucket, enabled));
        }

        /** @see EcsObjectStore#setEncryption(String, boolean) */
        public void setEncryption(String bucket, boolean enabled) {
            run(h -> EcsNative.storeSetEncryption(h, domain, bucket, enabled));
        }

        /**
         * Sets the bucket's quota; in {@code tenancy=domain} a raise the namespace's hard quota
         * cannot hold fails with {@link ErrorCode#QUOTA_EXCEEDED}.
         *
         * @see EcsObjectStore#setQuota(String, long)
         */
        public void setQuota(String bucket, long gib) {
            run(h -> EcsNative.storeSetQuota(h, domain, bucket, gib));
        }

        /** @see EcsObjectStore#setPolicy(String, String) */
        public void setPolicy(String bucket, String policy) {
            run(h -> EcsNative.storeSetPolicy(h, domain, bucket, policy));
        }

        /** @see EcsObjectStore#getPolicy(String) */
        public String getPolicy(String bucket) {
            return call(h -> EcsNative.storeGetPolicy(h, domain, bucket));
        }

        /** @see EcsObjectStore#deleteBucket(String) */
        public void deleteBucket(String bucket) {
            run(h -> EcsNative.storeDeleteBucket(h, domain, bucket));
        }

        /** @see EcsObjectStore#rotateAccountKey(String, long) */
        public AccountCredentials rotateAccountKey(String accountUuid, long graceSeconds) {
            return call(h -> EcsNative.storeRotateAccountKey(h, domain, accountUuid, graceSeconds));
        }

        /** @see EcsObjectStore#accountSupportsBucketCredentials(String) */
        public boolean accountSupportsBucketCredentials(String accountUuid) {
            return call(h -> EcsNative.storeAccountSupportsBucketCredentials(h, domain, accountUuid));
        }

        /** @see EcsObjectStore#migrateAccountForBucketCredentials(String) */
        public void migrateAccountForBucketCredentials(String accountUuid) {
            run(h -> EcsNative.storeMigrateAccountForBucketCredentials(h, domain, accountUuid));
        }

        /** @see EcsObjectStore#isAccountKeyRotationPending(String) */
        public boolean isAccountKeyRotationPending(String accountUuid) {
            return call(h -> EcsNative.storeIsAccountKeyRotationPending(h, domain, accountUuid));
        }

        /** @see EcsObjectStore#rotateMigratedAccountKey(String) */
        public AccountCredentials rotateMigratedAccountKey(String accountUuid) {
            return call(h -> EcsNative.storeRotateMigratedAccountKey(h, domain, accountUuid));
        }

        /** @see EcsObjectStore#createBucketCredential(String) */
        public AccountCredentials createBucketCredential(String bucket) {
            return call(h -> EcsNative.storeCreateBucketCredential(h, domain, bucket));
        }

        /** @see EcsObjectStore#createBucketCredentialKey(String) */
        public AccountCredentials createBucketCredentialKey(String bucket) {
            return call(h -> EcsNative.storeCreateBucketCredentialKey(h, domain, bucket));
        }

        /** @see EcsObjectStore#removeBucketCredentialKey(String, String) */
        public void removeBucketCredentialKey(String bucket, String accessKey) {
            run(h -> EcsNative.storeRemoveBucketCredentialKey(h, domain, bucket, accessKey));
        }

        /** @see EcsObjectStore#deleteBucketCredential(String) */
        public void deleteBucketCredential(String bucket) {
            run(h -> EcsNative.storeDeleteBucketCredential(h, domain, bucket));
        }

        /** @see EcsObjectStore#deleteAccountUser(String) */
        public void deleteAccountUser(String accountUuid) {
            run(h -> EcsNative.storeDeleteAccountUser(h, domain, accountUuid));
        }
    }

    /** Logs out of ECS and releases the native object; later calls throw {@link ErrorCode#CLOSED}. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            long closing = handle;
            handle = 0;
            EcsNative.storeClose(closing);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code f} with the live handle, or 0 once closed (the native side then throws CLOSED). */
    private <T> T call(LongFunction<T> f) {
        lock.readLock().lock();
        try {
            return f.apply(handle);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void run(java.util.function.LongConsumer f) {
        call(h -> {
            f.accept(h);
            return null;
        });
    }
}
