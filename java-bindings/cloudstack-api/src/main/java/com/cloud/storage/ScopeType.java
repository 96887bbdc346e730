package com.cloud.storage;

/** Stand-in for CloudStack's {@code ScopeType}. */
public enum ScopeType {
    /** Host scope. */ HOST,
    /** Cluster scope. */ CLUSTER,
    /** Zone scope. */ ZONE,
    /** Region scope. */ REGION,
    /** Global scope. */ GLOBAL
}
