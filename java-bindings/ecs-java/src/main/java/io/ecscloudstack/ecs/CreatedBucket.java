package io.ecscloudstack.ecs;

/** A bucket the driver created: its name, public URL and the owner's S3 credentials. */
public final class CreatedBucket {
    private final String name;
    private final String url;
    private final AccountCredentials credentials;

    /** Called by the native library. */
    CreatedBucket(String name, String url, AccountCredentials credentials) {
        this.name = name;
        this.url = url;
        this.credentials = credentials;
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

    @Override
    public String toString() {
        return "CreatedBucket[name=" + name + ", url=" + url + ", credentials=" + credentials + "]";
    }
}
