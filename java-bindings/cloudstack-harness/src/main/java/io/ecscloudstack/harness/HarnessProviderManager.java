package io.ecscloudstack.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.cloudstack.engine.subsystem.api.storage.DataStore;
import org.apache.cloudstack.engine.subsystem.api.storage.ObjectStoreProvider;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreDao;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.object.ObjectStoreDriver;
import org.apache.cloudstack.storage.object.ObjectStoreEntity;
import org.apache.cloudstack.storage.object.datastore.ObjectStoreProviderManager;

/**
 * CloudStack's {@code ObjectStoreProviderManagerImpl} together with the provider registry of
 * {@code DataStoreProviderManagerImpl}: drivers registered by name, and a <b>new</b> entity for
 * every {@code getObjectStore} call.
 */
final class HarnessProviderManager implements ObjectStoreProviderManager {
    private final Map<String, ObjectStoreDriver> drivers = new ConcurrentHashMap<>();
    private final Map<String, ObjectStoreProvider> providers = new ConcurrentHashMap<>();
    private final ObjectStoreDao storeDao;

    HarnessProviderManager(ObjectStoreDao storeDao) {
        this.storeDao = storeDao;
    }

    void addProvider(ObjectStoreProvider provider) {
        if (providers.putIfAbsent(provider.getName(), provider) != null) {
            throw new IllegalStateException("duplicate provider name " + provider.getName());
        }
    }

    ObjectStoreProvider provider(String name) {
        return name == null ? null : providers.get(name);
    }

    ObjectStoreDriver driver(String providerName) {
        return drivers.get(providerName);
    }

    @Override
    public boolean registerDriver(String uuid, ObjectStoreDriver driver) {
        return drivers.putIfAbsent(uuid, driver) == null;
    }

    @Override
    public ObjectStoreEntity getObjectStore(long objectStoreId) {
        return entity(storeDao.findById(objectStoreId));
    }

    @Override
    public ObjectStoreEntity getObjectStore(String uuid) {
        return entity(storeDao.findByUuid(uuid));
    }

    private ObjectStoreEntity entity(ObjectStoreVO store) {
        if (store == null) {
            return null;
        }
        ObjectStoreProvider provider = providers.get(store.getProviderName());
        if (provider == null) {
            return null;
        }
        return new HarnessObjectStore(drivers.get(provider.getName()), store, provider);
    }

    @Override
    public List<DataStore> listObjectStores() {
        List<DataStore> out = new ArrayList<>();
        for (ObjectStoreVO store : storeDao.listObjectStores()) {
            ObjectStoreEntity e = entity(store);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public List<DataStore> listObjectStoreByProvider(String provider) {
        List<DataStore> out = new ArrayList<>();
        for (ObjectStoreVO store : storeDao.findByProvider(provider)) {
            ObjectStoreEntity e = entity(store);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }
}
