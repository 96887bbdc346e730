package io.ecscloudstack.ecs;

/**
 * What CloudStack asks for when it creates a bucket; built with {@link #builder(String, String)}.
 *
 * <pre>{@code
 * BucketSpec spec = BucketSpec.builder("b1", accountUuid)
 *         .quotaGib(10L).versioning(true).policy("public").build();
 * }</pre>
 */
public final class BucketSpec {
    private final String name;
    private final String accountUuid;
    private final AccountCredentials credentials;
    private final Long quotaGib;
    private final boolean encryption;
    private final boolean versioning;
    private final String policy;
    private final boolean objectLock;
    private final String storeUuid;
    private final String domainUuid;
    private final String projectUuid;

    private BucketSpec(Builder b) {
        this.name = b.name;
        this.accountUuid = b.accountUuid;
        this.credentials = b.credentials;
        this.quotaGib = b.quotaGib;
        this.encryption = b.encryption;
        this.versioning = b.versioning;
        this.policy = b.policy;
        this.objectLock = b.objectLock;
        this.storeUuid = b.storeUuid;
        this.domainUuid = b.domainUuid;
        this.projectUuid = b.projectUuid;
    }

    /**
     * @param name        the bucket name (DNS-safe, 3 to 63 characters)
     * @param accountUuid the UUID of the owning CloudStack account
     * @return a builder with every option off
     * @throws EcsException {@link ErrorCode#INVALID_INPUT} when either is {@code null}
     */
    public static Builder builder(String name, String accountUuid) {
        return new Builder(Checks.notNull(name, "name"), Checks.notNull(accountUuid, "accountUuid"));
    }

    /** @return the bucket name */
    public String name() {
        return name;
    }

    /** @return the UUID of the owning account */
    public String accountUuid() {
        return accountUuid;
    }

    /** @return the account's stored credentials, or {@code null} when CloudStack has none */
    public AccountCredentials credentials() {
        return credentials;
    }

    /** @return the hard quota in GiB, or {@code null} for none */
    public Long quotaGib() {
        return quotaGib;
    }

    /** @return whether server-side encryption is requested */
    public boolean encryption() {
        return encryption;
    }

    /** @return whether versioning is requested */
    public boolean versioning() {
        return versioning;
    }

    /** @return the policy ({@code public}, {@code private} or a JSON document), or {@code null} */
    public String policy() {
        return policy;
    }

    /** @return whether S3 Object Lock is requested (ECS 3.6.2+, where the store allows it) */
    public boolean objectLock() {
        return objectLock;
    }

    /** @return the CloudStack store's UUID for the ownership tags, or {@code null} */
    public String storeUuid() {
        return storeUuid;
    }

    /** @return the owner's domain UUID for the ownership tags, or {@code null} */
    public String domainUuid() {
        return domainUuid;
    }

    /** @return the project UUID for the ownership tags, or {@code null} */
    public String projectUuid() {
        return projectUuid;
    }

    @Override
    public String toString() {
        return "BucketSpec[name=" + name + ", accountUuid=" + accountUuid
                + ", credentials=" + credentials + ", quotaGib=" + quotaGib + ", encryption=" + encryption
                + ", versioning=" + versioning + ", policy=" + policy + ", objectLock=" + objectLock + "]";
    }

    /** Builds a {@link BucketSpec}; every option starts off. */
    public static final class Builder {
        private final String name;
        private final String accountUuid;
        private AccountCredentials credentials;
        private Long quotaGib;
        private boolean encryption;
        private boolean versioning;
        private String policy;
        private boolean objectLock;
        private String storeUuid;
        private String domainUuid;
        private String projectUuid;

        private Builder(String name, String accountUuid) {
            this.name = name;
            this.accountUuid = accountUuid;
        }

        /** @param credentials the account's stored credentials, or {@code null} @return this */
        public Builder credentials(AccountCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /**
         * @param quotaGib the hard quota in GiB; {@code null} or 0 for none
         * @return this
         * @throws EcsException {@link ErrorCode#INVALID_INPUT} when negative
         */
        public Builder quotaGib(Long quotaGib) {
            if (quotaGib != null && quotaGib < 0) {
                throw new EcsException(ErrorCode.INVALID_INPUT, "quotaGib must not be negative");
            }
            this.quotaGib = quotaGib;
            return this;
        }

        /** @param encryption server-side encryption (fixed at creation on ECS) @return this */
        public Builder encryption(boolean encryption) {
            this.encryption = encryption;
            return this;
        }

        /** @param versioning turn versioning on @return this */
        public Builder versioning(boolean versioning) {
            this.versioning = versioning;
            return this;
        }

        /** @param policy {@code public}, {@code private}, a JSON policy, or {@code null} @return this */
        public Builder policy(String policy) {
            this.policy = policy;
            return this;
        }

        /** @param objectLock request S3 Object Lock @return this */
        public Builder objectLock(boolean objectLock) {
            this.objectLock = objectLock;
            return this;
        }

        /**
         * CloudStack's ids of the owner, written as ECS bucket tags ({@code null} leaves one out).
         *
         * @param storeUuid the object store's UUID
         * @param domainUuid the owner's domain UUID
         * @param projectUuid the project UUID
         * @return this
         */
        public Builder ownership(String storeUuid, String domainUuid, String projectUuid) {
            this.storeUuid = storeUuid;
            this.domainUuid = domainUuid;
            this.projectUuid = projectUuid;
            return this;
        }

        /** @return the spec */
        public BucketSpec build() {
            return new BucketSpec(this);
        }
    }
}
