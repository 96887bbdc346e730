package io.ecscloudstack.ecs;

import java.util.Objects;

/**
 * The S3 credentials of one CloudStack account on ECS: the object user (which is also the S3
 * access key id) and its secret key.
 *
 * <p>{@link #toString()} never shows the secret key.
 */
public final class AccountCredentials {
    private final String userId;
    private final String secretKey;

    /**
     * @param userId    the ECS object user, also the S3 access key id
     * @param secretKey the S3 secret key
     * @throws EcsException {@link ErrorCode#INVALID_INPUT} when either is {@code null}
     */
    public AccountCredentials(String userId, String secretKey) {
        this.userId = Checks.notNull(userId, "userId");
        this.secretKey = Checks.notNull(secretKey, "secretKey");
    }

    /** @return the ECS object user, also the S3 access key id */
    public String userId() {
        return userId;
    }

    /** @return the S3 secret key */
    public String secretKey() {
        return secretKey;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof AccountCredentials)) {
            return false;
        }
        AccountCredentials that = (AccountCredentials) other;
        return userId.equals(that.userId) && secretKey.equals(that.secretKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, secretKey);
    }

    /** @return the user id and a redacted secret key */
    @Override
    public String toString() {
        return "AccountCredentials[userId=" + userId + ", secretKey=** redacted **]";
    }
}
