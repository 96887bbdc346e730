package org.apache.cloudstack.engine.subsystem.api.storage;

/** Stand-in for CloudStack's {@code ObjectStoreProvider}: an empty sub-interface. */
public interface ObjectStoreProvider extends DataStoreProvider {
}
