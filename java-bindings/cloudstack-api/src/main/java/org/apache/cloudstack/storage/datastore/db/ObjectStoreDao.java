package org.apache.cloudstack.storage.datastore.db;

import java.util.List;

import com.cloud.utils.db.GenericDao;

/** Stand-in for CloudStack's {@code ObjectStoreDao} (main, without the response builders). */
public interface ObjectStoreDao extends GenericDao<ObjectStoreVO, Long> {
    /**
     * @param name a store name
     * @return the store, or null
     */
    ObjectStoreVO findByName(String name);

    /**
     * @param provider a provider name
     * @return its stores
     */
    List<ObjectStoreVO> findByProvider(String provider);

    /**
     * @param url a store URL
     * @return the store, or null
     */
    ObjectStoreVO findByUrl(String url);

    /** @return every store */
    List<ObjectStoreVO> listObjectStores();

    /**
     * @param ids store ids
     * @return the stores found
     */
    List<ObjectStoreVO> searchByIds(Long[] ids);

    /** @return the number of stores */
    Integer countAllObjectStores();
}
