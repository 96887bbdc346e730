package org.apache.cloudstack.engine.subsystem.api.storage;

import java.util.Objects;

/** Stand-in for CloudStack's {@code AbstractScope}. */
public abstract class AbstractScope implements Scope {
    @Override
    public boolean isSameScope(Scope scope) {
        return scope != null && getScopeType() == scope.getScopeType()
                && Objects.equals(getScopeId(), scope.getScopeId());
    }
}
