package org.apache.cloudstack.storage.datastore.db;

import java.util.Map;

import com.cloud.utils.db.GenericDao;
import org.apache.cloudstack.resourcedetail.ResourceDetailsDao;

/** Stand-in for CloudStack's {@code ObjectStoreDetailsDao}. */
public interface ObjectStoreDetailsDao
        extends GenericDao<ObjectStoreDetailVO, Long>, ResourceDetailsDao<ObjectStoreDetailVO> {
    /**
     * @param storeId the store
     * @return its details as name to value
     */
    Map<String, String> getDetails(long storeId);

    /**
     * <b>Replaces</b> all of the store's details.
     *
     * @param storeId the store
     * @param details the complete new set
     */
    void update(long storeId, Map<String, String> details);

    /** @param storeId the store whose details are all removed */
    void deleteDetails(long storeId);
}
