package org.apache.cloudstack.storage.object.datastore;

import java.util.List;

import org.apache.cloudstack.engine.subsystem.api.storage.DataStore;
import org.apache.cloudstack.storage.object.ObjectStoreDriver;
import org.apache.cloudstack.storage.object.ObjectStoreEntity;

/** Stand-in for CloudStack's {@code ObjectStoreProviderManager} (main). */
public interface ObjectStoreProviderManager {
    /**
     * @param uuid a store UUID
     * @return the store's entity, or null
     */
    ObjectStoreEntity getObjectStore(String uuid);

    /**
     * @param objectStoreId a store id
     * @return a new entity wrapping the store, its driver and provider, or null
     */
    ObjectStoreEntity getObjectStore(long objectStoreId);

    /** @return every store */
    List<DataStore> listObjectStores();

    /**
     * @param provider a provider name
     * @return its stores
     */
    List<DataStore> listObjectStoreByProvider(String provider);

    /**
     * @param uuid the provider's name (CloudStack names the parameter uuid)
     * @param driver the provider's driver
     * @return false if a driver is already registered under that name
     */
    boolean registerDriver(String uuid, ObjectStoreDriver driver);
}
