package org.apache.cloudstack.engine.subsystem.api.storage;

import com.cloud.storage.ScopeType;

/** Stand-in for CloudStack's {@code ClusterScope}. */
public class ClusterScope extends AbstractScope {
    private final Long scopeId;

    /** Creates the scope; only the first id is kept. */
    public ClusterScope(Long clusterId, Long podId, Long zoneId) {
        this.scopeId = clusterId;
    }

    @Override
    public ScopeType getScopeType() {
        return ScopeType.CLUSTER;
    }

    @Override
    public Long getScopeId() {
        return this.scopeId;
    }
}
