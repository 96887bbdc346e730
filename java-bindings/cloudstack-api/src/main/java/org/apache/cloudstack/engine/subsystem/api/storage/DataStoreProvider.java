package org.apache.cloudstack.engine.subsystem.api.storage;

import java.util.Map;
import java.util.Set;

/** Stand-in for CloudStack's {@code DataStoreProvider}: exactly its members. */
public interface DataStoreProvider {
    /** NFS image provider name. */
    String NFS_IMAGE = "NFS";
    /** S3 image provider name. */
    String S3_IMAGE = "S3";
    /** Swift image provider name. */
    String SWIFT_IMAGE = "Swift";
    /** Sample image provider name. */
    String SAMPLE_IMAGE = "Sample";
    /** SMB provider name (CloudStack's value). */
    String SMB = "NFS";
    /** Default primary provider name. */
    String DEFAULT_PRIMARY = "DefaultPrimary";

    /** Kinds of store a provider serves. */
    enum DataStoreProviderType {
        /** Primary storage. */ PRIMARY,
        /** Image storage. */ IMAGE,
        /** Image cache. */ ImageCache,
        /** Object storage. */ OBJECT
    }

    /** @return the provider's lifecycle */
    DataStoreLifeCycle getDataStoreLifeCycle();

    /** @return the provider's driver */
    DataStoreDriver getDataStoreDriver();

    /** @return the host listener, null for object stores */
    HypervisorHostListener getHostListener();

    /** @return the provider's name */
    String getName();

    /**
     * @param params configuration (CloudStack passes an empty map)
     * @return false to be dropped
     */
    boolean configure(Map<String, Object> params);

    /** @return the kinds of store served */
    Set<DataStoreProviderType> getTypes();
}
