package org.apache.cloudstack.engine.subsystem.api.storage;

import com.cloud.storage.ScopeType;

/** Stand-in for CloudStack's {@code HostScope}. */
public class HostScope extends AbstractScope {
    private final Long scopeId;

    /** Creates the scope; only the first id is kept. */
    public HostScope(Long hostId, Long clusterId, Long zoneId) {
        this.scopeId = hostId;
    }

    @Override
    public ScopeType getScopeType() {
        return ScopeType.HOST;
    }

    @Override
    public Long getScopeId() {
        return this.scopeId;
    }
}
