package org.apache.cloudstack.engine.subsystem.api.storage;

import com.cloud.storage.ScopeType;

/** Stand-in for CloudStack's {@code Scope}. */
public interface Scope {
    /** @return the scope's type */
    ScopeType getScopeType();

    /** @return the id of the host, cluster or zone */
    Long getScopeId();

    /**
     * @param scope another scope
     * @return whether both name the same scope
     */
    boolean isSameScope(Scope scope);
}
