package org.apache.cloudstack.engine.subsystem.api.storage;

/** Stand-in for CloudStack's {@code ObjectInDataStoreStateMachine}; only its event type is used. */
public interface ObjectInDataStoreStateMachine {
    /** State-machine events (the subset object-store code may pass through). */
    enum Event {
        /** Creation requested. */ CreateRequested,
        /** Creation-only requested. */ CreateOnlyRequested,
        /** Destruction requested. */ DestroyRequested,
        /** The operation succeeded (CloudStack's spelling). */ OperationSuccessed,
        /** The operation failed. */ OperationFailed,
        /** Copy requested. */ CopyRequested,
        /** Expunge requested. */ ExpungeRequested
    }
}
