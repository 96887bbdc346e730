package org.apache.cloudstack.engine.subsystem.api.storage;

import com.cloud.agent.api.to.DataStoreTO;
import com.cloud.storage.DataStoreRole;

/** Stand-in for CloudStack's {@code DataStore}. */
public interface DataStore {
    /** @return the store's driver */
    DataStoreDriver getDriver();

    /** @return the store's role */
    DataStoreRole getRole();

    /** @return the store's id */
    long getId();

    /** @return the store's UUID */
    String getUuid();

    /** @return the store's URI */
    String getUri();

    /** @return the store's scope */
    Scope getScope();

    /** @return the store's name */
    String getName();

    /**
     * @param obj the object to create
     * @return the created object
     */
    DataObject create(DataObject obj);

    /**
     * @param obj the object to delete
     * @return whether it was deleted
     */
    boolean delete(DataObject obj);

    /** @return the transfer object */
    DataStoreTO getTO();
}
