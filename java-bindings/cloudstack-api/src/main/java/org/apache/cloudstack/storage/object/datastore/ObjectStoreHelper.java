package org.apache.cloudstack.storage.object.datastore;

import java.util.Map;

import javax.inject.Inject;

import org.apache.cloudstack.storage.datastore.db.ObjectStoreDao;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreDetailsDao;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;

/**
 * Stand-in for CloudStack's {@code ObjectStoreHelper} (main). Its methods have no behaviour
 * here; whoever plays CloudStack supplies a subclass that persists through the DAOs.
 */
public class ObjectStoreHelper {
    /** The store DAO (CloudStack capitalises the field name). */
    @Inject
    protected ObjectStoreDao ObjectStoreDao;
    /** The store-details DAO (CloudStack capitalises the field name). */
    @Inject
    protected ObjectStoreDetailsDao ObjectStoreDetailsDao;

    /**
     * Persists a store (providerName, url and name from {@code params}, a random UUID) and one
     * detail row per entry of {@code details}.
     *
     * @param params the store's parameters
     * @param details the store's details, or null
     * @return the persisted store
     */
    public ObjectStoreVO createObjectStore(Map<String, Object> params, Map<String, String> details) {
        throw new UnsupportedOperationException("stand-in: CloudStack provides ObjectStoreHelper");
    }

    /**
     * @param id the store
     * @return true once removed
     */
    public boolean deleteObjectStore(long id) {
        throw new UnsupportedOperationException("stand-in: CloudStack provides ObjectStoreHelper");
    }
}
