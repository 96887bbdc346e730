package io.ecscloudstack.ecs;

/** A bucket the driver created: its name, public URL and the owner's S3 credentials. */
public final class CreatedBucket {
    private final String name;
    private final String url;
    private final AccountCredentials credentials;
    private final boolean versioning;

    /** For tests: versioning off. */
    CreatedBucket(String name, String url, AccountCredentials credentials) {
        this(name, url, credentials, false);
    }

    /** Called by the native library. */
    CreatedBucket(String name, String url, AccountCredentials credentials, boolean versioning) {
        this.name = name;
        this.url = url;
        this.credentials = credentials;
        this.versioning = versioning;
    }

    /** @return the bucket name */
    public String name() {
        return name;
    }

    /** @return the public path-style URL, {@code <s3_public_url>/<name>} */
    public String url() {
        return url;
    }

    /** @return the owner's S3 credentials, to be stored on the bucket row */
    public AccountCredentials credentials() {
        return credentials;
    }

    /** @return whether versioning is on: asked for, or turned on by object lock */
    public boolean versioning() {
        return versioning;
    }

    @Override
    public String toString() {
        return "CreatedBucket[name=" + name + ", url=" + url + ", credentials=" + credentials + "]";
    }
}
