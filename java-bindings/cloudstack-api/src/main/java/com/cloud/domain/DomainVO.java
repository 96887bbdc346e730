package com.cloud.domain;

import java.util.Date;
import java.util.UUID;

/**
 * Stand-in for CloudStack's {@code DomainVO} (table {@code domain}): the columns and accessors
 * plug-ins and the harness use. An account's domain is {@code AccountVO.getDomainId()}; the
 * ROOT domain has id 1 and path {@code /}.
 */
public class DomainVO {
    private long id;
    private Long parent;
    private String name;
    private long accountId;
    private String path;
    private int level;
    private Date created;
    private Date removed;
    private String networkDomain;
    private String uuid;

    /** An empty row (the persistence layer's constructor). */
    public DomainVO() {
    }

    /**
     * @param name the domain's name
     * @param owner the owning account's id
     * @param parentId the parent domain's id, or null for ROOT
     * @param networkDomain the network domain, or null
     */
    public DomainVO(String name, long owner, Long parentId, String networkDomain) {
        this(name, owner, parentId, networkDomain, UUID.randomUUID().toString());
    }

    /**
     * @param name the domain's name
     * @param owner the owning account's id
     * @param parentId the parent domain's id, or null for ROOT
     * @param networkDomain the network domain, or null
     * @param uuid the domain's UUID
     */
    public DomainVO(String name, long owner, Long parentId, String networkDomain, String uuid) {
        this.name = name;
        this.accountId = owner;
        this.parent = parentId;
        this.networkDomain = networkDomain;
        this.path = "";
        this.uuid = uuid;
    }

    /** @return the row id */
    public long getId() {
        return id;
    }

    /** @param id the row id */
    public void setId(long id) {
        this.id = id;
    }

    /** @return the UUID CloudStack's API shows */
    public String getUuid() {
        return uuid;
    }

    /** @param uuid the UUID */
    public void setUuid(String uuid) {
        this.uuid = uuid;
    }

    /** @return the parent domain's id, or null for ROOT */
    public Long getParent() {
        return parent;
    }

    /** @param parent the parent domain's id */
    public void setParent(Long parent) {
        this.parent = parent;
    }

    /** @return the name */
    public String getName() {
        return name;
    }

    /** @param name the name */
    public void setName(String name) {
        this.name = name;
    }

    /** @return the owning account's id */
    public long getAccountId() {
        return accountId;
    }

    /** @return the path, such as {@code /sales/} */
    public String getPath() {
        return path;
    }

    /** @param path the path */
    public void setPath(String path) {
        this.path = path;
    }

    /** @return the depth below ROOT */
    public int getLevel() {
        return level;
    }

    /** @param level the depth below ROOT */
    public void setLevel(int level) {
        this.level = level;
    }

    /** @return when the row was created */
    public Date getCreated() {
        return created;
    }

    /** @return when the row was removed, or null */
    public Date getRemoved() {
        return removed;
    }

    /** @return the network domain, or null */
    public String getNetworkDomain() {
        return networkDomain;
    }

    @Override
    public String toString() {
        return "Domain:" + id + path;
    }
}
