package org.apache.cloudstack.storage.datastore.db;

import org.apache.cloudstack.api.ResourceDetail;

/** Stand-in for CloudStack's {@code ObjectStoreDetailVO} (table {@code object_store_details}). */
public class ObjectStoreDetailVO implements ResourceDetail {
    private static final long serialVersionUID = 1L;

    private long id;
    private long resourceId;
    private String name;
    private String value;

    /** For the persistence layer. */
    public ObjectStoreDetailVO() {
    }

    /**
     * @param storeId the store
     * @param name the detail's name
     * @param value the detail's value
     */
    public ObjectStoreDetailVO(long storeId, String name, String value) {
        this.resourceId = storeId;
        this.name = name;
        this.value = value;
    }

    @Override
    public long getId() {
        return this.id;
    }

    @Override
    public long getResourceId() {
        return this.resourceId;
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public String getValue() {
        return this.value;
    }

    @Override
    public boolean isDisplay() {
        return true;
    }
}
