package com.cloud.agent.api;

/** Stand-in for CloudStack's {@code StoragePoolInfo}; only passed through by lifecycles. */
public class StoragePoolInfo {
}
