package org.apache.cloudstack.engine.subsystem.api.storage;

import com.cloud.storage.ScopeType;

/** Stand-in for CloudStack's {@code ZoneScope}. */
public class ZoneScope extends AbstractScope {
    private final Long scopeId;

    /** Creates the scope; only the first id is kept. */
    public ZoneScope(Long zoneId) {
        this.scopeId = zoneId;
    }

    @Override
    public ScopeType getScopeType() {
        return ScopeType.ZONE;
    }

    @Override
    public Long getScopeId() {
        return this.scopeId;
    }
}
