package io.ecscloudstack.harness;

import java.util.Map;
import java.util.UUID;

import com.cloud.utils.exception.CloudRuntimeException;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreDetailVO;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.object.datastore.ObjectStoreHelper;

/** CloudStack's {@code ObjectStoreHelper} behaviour (main) over the injected DAOs. */
final class HarnessObjectStoreHelper extends ObjectStoreHelper {

    @Override
    public ObjectStoreVO createObjectStore(Map<String, Object> params, Map<String, String> details) {
        ObjectStoreVO store = new ObjectStoreVO();
        store.setProviderName((String) params.get("providerName"));
        store.setUrl((String) params.get("url"));
        store.setName((String) params.get("name"));
        store.setUuid(UUID.randomUUID().toString());
        store = ObjectStoreDao.persist(store);
        if (details != null) {
            for (Map.Entry<String, String> e : details.entrySet()) {
                ObjectStoreDetailsDao.persist(new ObjectStoreDetailVO(store.getId(), e.getKey(), e.getValue()));
            }
        }
        return store;
    }

    @Override
    public boolean deleteObjectStore(long id) {
        if (ObjectStoreDao.findById(id) == null) {
            throw new CloudRuntimeException("can't find Object store:" + id);
        }
        return ObjectStoreDao.remove(id);
    }
}
