package com.cloud.agent.api.to;

import com.cloud.storage.DataStoreRole;

/** Stand-in for CloudStack's {@code DataStoreTO}. */
public interface DataStoreTO {
    /** @return the store's role */
    DataStoreRole getRole();

    /** @return the store's UUID */
    String getUuid();

    /** @return the store's URL */
    String getUrl();

    /** @return the path separator of the store */
    String getPathSeparator();
}
