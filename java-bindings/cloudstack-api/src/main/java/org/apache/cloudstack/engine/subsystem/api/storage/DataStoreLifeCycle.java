package org.apache.cloudstack.engine.subsystem.api.storage;

import java.util.Map;

import com.cloud.agent.api.StoragePoolInfo;
import com.cloud.hypervisor.Hypervisor.HypervisorType;

/** Stand-in for CloudStack's {@code DataStoreLifeCycle}: exactly its methods. */
public interface DataStoreLifeCycle {
    /**
     * @param dsInfos url, name, size, providerName, role and details
     * @return the new store
     */
    DataStore initialize(Map<String, Object> dsInfos);

    /**
     * @param store the store
     * @param scope the cluster
     * @return whether attached
     */
    boolean attachCluster(DataStore store, ClusterScope scope);

    /**
     * @param store the store
     * @param scope the host
     * @param existingInfo the pool's current info
     * @return whether attached
     */
    boolean attachHost(DataStore store, HostScope scope, StoragePoolInfo existingInfo);

    /**
     * @param dataStore the store
     * @param scope the zone
     * @param hypervisorType the hypervisor type
     * @return whether attached
     */
    boolean attachZone(DataStore dataStore, ZoneScope scope, HypervisorType hypervisorType);

    /**
     * @param store the store
     * @return whether it entered maintenance
     */
    boolean maintain(DataStore store);

    /**
     * @param store the store
     * @return whether it left maintenance
     */
    boolean cancelMaintain(DataStore store);

    /**
     * @param store the store
     * @return whether it was deleted
     */
    boolean deleteDataStore(DataStore store);

    /**
     * @param store the store
     * @return whether it was migrated
     */
    boolean migrateToObjectStore(DataStore store);
}
