package org.apache.cloudstack.storage.datastore.lifecycle;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.inject.Inject;

import com.cloud.agent.api.StoragePoolInfo;
import com.cloud.hypervisor.Hypervisor.HypervisorType;
import com.cloud.utils.exception.CloudRuntimeException;
import io.ecscloudstack.ecs.CheckReport;
import io.ecscloudstack.ecs.EcsObjectStore;
import org.apache.cloudstack.engine.subsystem.api.storage.ClusterScope;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStore;
import org.apache.cloudstack.engine.subsystem.api.storage.HostScope;
import org.apache.cloudstack.engine.subsystem.api.storage.ZoneScope;
import org.apache.cloudstack.storage.datastore.driver.EcsCalls;
import org.apache.cloudstack.storage.datastore.driver.StoreDetails;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;
import org.apache.cloudstack.storage.datastore.provider.EcsObjectStoreProviderImpl;
import org.apache.cloudstack.storage.object.datastore.ObjectStoreHelper;
import org.apache.cloudstack.storage.object.datastore.ObjectStoreProviderManager;
import org.apache.cloudstack.storage.object.store.lifecycle.ObjectStoreLifeCycle;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * "Add object storage" for ECS: the details are validated and the store is checked end to end
 * ({@link EcsObjectStore#check()}: management login, namespace, S3 endpoint) before anything is
 * persisted, so a wrong URL, password or namespace is reported to the administrator at once.
 */
public class EcsObjectStoreLifeCycleImpl implements ObjectStoreLifeCycle {
    private static final Logger LOG = LogManager.getLogger(EcsObjectStoreLifeCycleImpl.class);

    @Inject
    ObjectStoreHelper objectStoreHelper;
    @Inject
    ObjectStoreProviderManager objectStoreMgr;

    /** The no-argument constructor {@code ComponentContext.inject} needs. */
    public EcsObjectStoreLifeCycleImpl() {
    }

    @Override
    public DataStore initialize(Map<String, Object> dsInfos) {
        String url = required(dsInfos, "url");
        String name = required(dsInfos, "name");
        Map<String, String> details = details(dsInfos.get("details"));
        check(name, StoreDetails.of(details, url));

        Map<String, Object> params = new HashMap<>();
        params.put("url", url);
        params.put("name", name);
        params.put("providerName", EcsObjectStoreProviderImpl.NAME);
        params.put("size", dsInfos.get("size"));
        ObjectStoreVO store = objectStoreHelper.createObjectStore(params, details);
        LOG.info("ECS: added object store '{}' ({}) as id {}", name, url, store.getId());
        return objectStoreMgr.getObjectStore(store.getId());
    }

    private static String required(Map<String, Object> dsInfos, String key) {
        Object value = dsInfos.get(key);
        if (!(value instanceof String) || ((String) value).isBlank()) {
            throw new CloudRuntimeException("ECS: the object store needs a " + key);
        }
        return ((String) value).trim();
    }

    private static Map<String, String> details(Object raw) {
        if (!(raw instanceof Map)) {
            throw new CloudRuntimeException("ECS: the object store needs details (mgmt_url, sa_user, sa_password"
                    + " and optional ones; see the plug-in's README)");
        }
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) raw).forEach((k, v) -> {
            if (k != null && v != null) {
                out.put(k.toString(), v.toString());
            }
        });
        return out;
    }

    private static void check(String name, StoreDetails details) {
        CheckReport report = EcsCalls.call("check object store '" + name + "'", () -> {
            try (EcsObjectStore store = EcsObjectStore.open(details.url(), details.details())) {
                return store.check();
            }
        });
        if (!report.ok()) {
            throw new CloudRuntimeException("ECS: object store '" + name + "' failed its checks: " + report.summary());
        }
    }

    @Override
    public boolean attachCluster(DataStore store, ClusterScope scope) {
        return false;
    }

    @Override
    public boolean attachHost(DataStore store, HostScope scope, StoragePoolInfo existingInfo) {
        return false;
    }

    @Override
    public boolean attachZone(DataStore dataStore, ZoneScope scope, HypervisorType hypervisorType) {
        return false;
    }

    @Override
    public boolean maintain(DataStore store) {
        return false;
    }

    @Override
    public boolean cancelMaintain(DataStore store) {
        return false;
    }

    @Override
    public boolean deleteDataStore(DataStore store) {
        return false;
    }

    @Override
    public boolean migrateToObjectStore(DataStore store) {
        return false;
    }
}
