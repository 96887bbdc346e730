package org.apache.cloudstack.storage.object;

import java.util.Date;

import com.cloud.agent.api.Answer;
import com.cloud.agent.api.to.DataObjectType;
import com.cloud.agent.api.to.DataTO;
import org.apache.cloudstack.engine.subsystem.api.storage.BucketInfo;
import org.apache.cloudstack.engine.subsystem.api.storage.DataStore;
import org.apache.cloudstack.engine.subsystem.api.storage.ObjectInDataStoreStateMachine;

/**
 * Stand-in for CloudStack's {@code BucketObject}: only the name is meaningful (drivers use it
 * for {@code listBuckets} results); every other member returns 0, null or false.
 */
public class BucketObject implements BucketInfo {
    private static final long serialVersionUID = 1L;

    private String name;

    /** Creates a nameless bucket object. */
    public BucketObject() {
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public void addPayload(Object data) {
    }

    @Override
    public Object getPayload() {
        return null;
    }

    @Override
    public Bucket getBucket() {
        return null;
    }

    @Override
    public long getId() {
        return 0;
    }

    @Override
    public String getUri() {
        return null;
    }

    @Override
    public DataTO getTO() {
        return null;
    }

    @Override
    public DataStore getDataStore() {
        return null;
    }

    @Override
    public Long getSize() {
        return null;
    }

    @Override
    public long getPhysicalSize() {
        return 0;
    }

    @Override
    public DataObjectType getType() {
        return null;
    }

    @Override
    public String getUuid() {
        return null;
    }

    @Override
    public boolean delete() {
        return false;
    }

    @Override
    public void incRefCount() {
    }

    @Override
    public void decRefCount() {
    }

    @Override
    public Long getRefCount() {
        return null;
    }

    @Override
    public void processEvent(ObjectInDataStoreStateMachine.Event event) {
    }

    @Override
    public void processEvent(ObjectInDataStoreStateMachine.Event event, Answer answer) {
    }

    @Override
    public Class<?> getEntityType() {
        return null;
    }

    @Override
    public long getAccountId() {
        return 0;
    }

    @Override
    public long getDomainId() {
        return 0;
    }

    @Override
    public long getObjectStoreId() {
        return 0;
    }

    @Override
    public Date getCreated() {
        return null;
    }

    @Override
    public State getState() {
        return null;
    }

    @Override
    public Integer getQuota() {
        return null;
    }

    @Override
    public boolean isVersioning() {
        return false;
    }

    @Override
    public boolean isEncryption() {
        return false;
    }

    @Override
    public boolean isObjectLock() {
        return false;
    }

    @Override
    public String getPolicy() {
        return null;
    }

    @Override
    public String getBucketURL() {
        return null;
    }

    @Override
    public String getAccessKey() {
        return null;
    }

    @Override
    public String getSecretKey() {
        return null;
    }
}
