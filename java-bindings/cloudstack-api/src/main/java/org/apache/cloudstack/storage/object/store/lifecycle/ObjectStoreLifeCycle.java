package org.apache.cloudstack.storage.object.store.lifecycle;

import org.apache.cloudstack.engine.subsystem.api.storage.DataStoreLifeCycle;

/** Stand-in for CloudStack's {@code ObjectStoreLifeCycle}: an empty sub-interface. */
public interface ObjectStoreLifeCycle extends DataStoreLifeCycle {
}
