package com.cloud.user;

/** Stand-in for CloudStack's {@code OwnedBy}: an entity owned by an account. */
public interface OwnedBy {
    /** @return the owning account's id */
    long getAccountId();
}
