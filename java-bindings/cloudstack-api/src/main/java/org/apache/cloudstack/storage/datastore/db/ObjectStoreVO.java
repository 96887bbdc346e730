package org.apache.cloudstack.storage.datastore.db;

import java.util.Date;
import java.util.Map;

import org.apache.cloudstack.storage.object.ObjectStore;

/** Stand-in for CloudStack's {@code ObjectStoreVO} (table {@code object_store}). */
public class ObjectStoreVO implements ObjectStore {
    private static final long serialVersionUID = 1L;

    private long id;
    private String name;
    private String uuid;
    private String url;
    private String providerName;
    private Date created;
    private Date removed;
    private Long totalSize;
    private Long usedBytes;
    private transient Map<String, String> details;

    @Override
    public long getId() {
        return this.id;
    }

    @Override
    public String getName() {
        return this.name;
    }

    /** @param name the store's name */
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public String getProviderName() {
        return this.providerName;
    }

    /** @param provider the provider's name */
    public void setProviderName(String provider) {
        this.providerName = provider;
    }

    @Override
    public String getUuid() {
        return this.uuid;
    }

    /** @param uuid the UUID */
    public void setUuid(String uuid) {
        this.uuid = uuid;
    }

    @Override
    public String getUrl() {
        return this.url;
    }

    /** @param url the URL */
    public void setUrl(String url) {
        this.url = url;
    }

    /** @return when it was created */
    public Date getCreated() {
        return this.created;
    }

    /** @param created when it was created */
    public void setCreated(Date created) {
        this.created = created;
    }

    /** @return when it was removed, or null */
    public Date getRemoved() {
        return this.removed;
    }

    /** @param removed when it was removed */
    public void setRemoved(Date removed) {
        this.removed = removed;
    }

    /** @return the capacity in bytes, or null */
    public Long getTotalSize() {
        return this.totalSize;
    }

    /** @param totalSize the capacity in bytes */
    public void setTotalSize(Long totalSize) {
        this.totalSize = totalSize;
    }

    /** @return bytes used, or null */
    public Long getUsedBytes() {
        return this.usedBytes;
    }

    /** @param usedBytes bytes used */
    public void setUsedBytes(Long usedBytes) {
        this.usedBytes = usedBytes;
    }

    /** @return the transient details, or null */
    public Map<String, String> getDetails() {
        return this.details;
    }

    /** @param details transient details */
    public void setDetails(Map<String, String> details) {
        this.details = details;
    }
}
