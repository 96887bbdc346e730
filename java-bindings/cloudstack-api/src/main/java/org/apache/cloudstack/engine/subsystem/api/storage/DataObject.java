package org.apache.cloudstack.engine.subsystem.api.storage;

import com.cloud.agent.api.Answer;
import com.cloud.agent.api.to.DataObjectType;
import com.cloud.agent.api.to.DataTO;

/** Stand-in for CloudStack's {@code DataObject}. */
public interface DataObject {
    /** @return the id */
    long getId();

    /** @return the URI */
    String getUri();

    /** @return the transfer object */
    DataTO getTO();

    /** @return the store holding the object */
    DataStore getDataStore();

    /** @return the size */
    Long getSize();

    /** @return the physical size */
    long getPhysicalSize();

    /** @return the object's type */
    DataObjectType getType();

    /** @return the UUID */
    String getUuid();

    /** @return whether the object was deleted */
    boolean delete();

    /** @return the name */
    String getName();

    /** Increments the reference count. */
    void incRefCount();

    /** Decrements the reference count. */
    void decRefCount();

    /** @return the reference count */
    Long getRefCount();

    /** @param event the event to process */
    void processEvent(ObjectInDataStoreStateMachine.Event event);

    /**
     * @param event the event to process
     * @param answer the agent's answer
     */
    void processEvent(ObjectInDataStoreStateMachine.Event event, Answer answer);
}
