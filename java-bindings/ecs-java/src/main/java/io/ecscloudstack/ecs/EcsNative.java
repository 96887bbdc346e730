package io.ecscloudstack.ecs;

/**
 * Every native method of {@code libecs_jni.so}, registered by its {@code JNI_OnLoad}.
 *
 * <p>Store methods take the handle first. A zero handle (never opened, or closed) raises
 * {@link ErrorCode#CLOSED}; a {@code null} where a value is required raises
 * {@link ErrorCode#INVALID_INPUT}; every failure is an {@link EcsException}. Call only after
 * {@link NativeLibrary#load()}.
 */
final class EcsNative {
    private EcsNative() {
    }

    static native String version();

    static native boolean initLogging(String directives);

    /**
     * @param url     the store's URL (CloudStack's {@code object_store.url}), or {@code null}
     * @param details key/value pairs flattened: {@code {k0, v0, k1, v1, ...}}
     */
    static native long storeOpen(String url, String[] details);

    static native void storeClose(long handle);

    static native CheckReport storeCheck(long handle);

    /** A {@code null} user id means no stored credentials. */
    static native AccountCredentials storeEnsureAccountUser(long handle, String domainUuid, String accountUuid, String userId,
            String secretKey);

    /** A {@code null} quotaGib means no quota; a {@code null} user id means no stored credentials. */
    static native CreatedBucket storeCreateBucket(long handle, String name, String accountUuid, String userId,
            String secretKey, Long quotaGib, boolean encryption, boolean versioning, String policy,
            boolean objectLock, String storeUuid, String domainUuid, String projectUuid);

    static native void storeSetVersioning(long handle, String domainUuid, String bucket, boolean enabled);

    static native void storeSetEncryption(long handle, String domainUuid, String bucket, boolean enabled);

    static native void storeSetQuota(long handle, String domainUuid, String bucket, long gib);

    static native void storeSetPolicy(long handle, String domainUuid, String bucket, String policy);

    static native String storeGetPolicy(long handle, String domainUuid, String bucket);

    static native void storeDeleteBucket(long handle, String domainUuid, String bucket);

    static native BucketSummary[] storeListBuckets(long handle);

    static native BucketUsage[] storeUsage(long handle);

    static native AccountCredentials storeRotateAccountKey(long handle, String domainUuid, String accountUuid, long graceSeconds);

    static native void storeDeleteAccountUser(long handle, String domainUuid, String accountUuid);

    static native String storeBucketCredentialsUnsupportedReason(long handle);

    /** A {@code null} rowsJson compares nothing with CloudStack (ECS-side findings only). */
    static native DriftReport storeDrift(long handle, String rowsJson);

    static native void storeDeleteObjectVersion(long handle, String userId, String secretKey, String bucket,
            String key, String versionId);

    static native boolean storeAccountSupportsBucketCredentials(long handle, String domainUuid, String accountUuid);

    static native void storeMigrateAccountForBucketCredentials(long handle, String domainUuid, String accountUuid);

    static native boolean storeIsAccountKeyRotationPending(long handle, String domainUuid, String accountUuid);

    static native AccountCredentials storeRotateMigratedAccountKey(long handle, String domainUuid, String accountUuid);

    static native AccountCredentials storeCreateBucketCredential(long handle, String domainUuid, String bucket);

    static native AccountCredentials storeCreateBucketCredentialKey(long handle, String domainUuid, String bucket);

    static native void storeRemoveBucketCredentialKey(long handle, String domainUuid, String bucket, String accessKey);

    static native void storeDeleteBucketCredential(long handle, String domainUuid, String bucket);

    static native ObjectEntry[] storeListObjects(long handle, String userId, String secretKey, String bucket,
            String prefix);

    static native ObjectVersionEntry[] storeListVersions(long handle, String userId, String secretKey, String bucket,
            String prefix);

    static native void storePutObject(long handle, String userId, String secretKey, String bucket, String key,
            byte[] data);

    static native byte[] storeGetObject(long handle, String userId, String secretKey, String bucket, String key);

    static native void storeDeleteObject(long handle, String userId, String secretKey, String bucket, String key);

    static native String storePresignGet(long handle, String userId, String secretKey, String bucket, String key,
            long seconds);
}
