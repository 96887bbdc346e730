package io.ecscloudstack.harness.dao;

import java.util.Map;

import org.apache.cloudstack.storage.datastore.db.ObjectStoreDetailVO;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreDetailsDao;

/** In-memory {@link ObjectStoreDetailsDao}: {@code update(id, map)} replaces every detail, as in CloudStack. */
public final class InMemoryObjectStoreDetailsDao extends InMemoryDetailsDao<ObjectStoreDetailVO>
        implements ObjectStoreDetailsDao {

    /** Creates an empty table. */
    public InMemoryObjectStoreDetailsDao() {
        super(ObjectStoreDetailVO.class);
    }

    @Override
    protected ObjectStoreDetailVO newDetail(long resourceId, String name, String value) {
        return new ObjectStoreDetailVO(resourceId, name, value);
    }

    @Override
    public Map<String, String> getDetails(long storeId) {
        return detailMap(storeId);
    }

    @Override
    public void update(long storeId, Map<String, String> details) {
        replaceAll(storeId, details);
    }

    @Override
    public void deleteDetails(long storeId) {
        removeDetails(storeId);
    }
}
