package com.cloud.user;

import java.util.Date;
import java.util.UUID;

/** Stand-in for CloudStack's {@code AccountVO} (table {@code account}). */
public class AccountVO implements Account {
    private static final long serialVersionUID = 1L;

    private long id;
    private String accountName;
    private Type type;
    private Long roleId;
    private long domainId;
    private State state = State.ENABLED;
    private String networkDomain;
    private Date created;
    private Date removed;
    private String uuid;
    private boolean isDefault;
    private Long defaultZoneId;

    /** Creates an account with a random UUID. */
    public AccountVO() {
        this.uuid = UUID.randomUUID().toString();
    }

    /** @param id the account's id */
    public AccountVO(long id) {
        this.id = id;
        this.uuid = UUID.randomUUID().toString();
    }

    /**
     * @param accountName the name
     * @param domainId the domain
     * @param networkDomain the network domain
     * @param type the type
     * @param uuid the UUID
     */
    public AccountVO(String accountName, long domainId, String networkDomain, Type type, String uuid) {
        this.accountName = accountName;
        this.domainId = domainId;
        this.networkDomain = networkDomain;
        this.type = type;
        this.uuid = uuid;
    }

    /**
     * @param accountName the name
     * @param domainId the domain
     * @param networkDomain the network domain
     * @param type the type
     * @param roleId the role
     * @param uuid the UUID
     */
    public AccountVO(String accountName, long domainId, String networkDomain, Type type, Long roleId, String uuid) {
        this(accountName, domainId, networkDomain, type, uuid);
        this.roleId = roleId;
    }

    @Override
    public long getId() {
        return this.id;
    }

    /** @param id the account's id */
    public void setId(long id) {
        this.id = id;
    }

    @Override
    public String getAccountName() {
        return this.accountName;
    }

    /** @param accountName the name */
    public void setAccountName(String accountName) {
        this.accountName = accountName;
    }

    @Override
    public Type getType() {
        return this.type;
    }

    /** @param type the type */
    public void setType(Type type) {
        this.type = type;
    }

    @Override
    public Long getRoleId() {
        return this.roleId;
    }

    /** @param roleId the role */
    public void setRoleId(long roleId) {
        this.roleId = roleId;
    }

    @Override
    public long getDomainId() {
        return this.domainId;
    }

    /** @param domainId the domain */
    public void setDomainId(long domainId) {
        this.domainId = domainId;
    }

    @Override
    public State getState() {
        return this.state;
    }

    /** @param state the state */
    public void setState(State state) {
        this.state = state;
    }

    @Override
    public String getNetworkDomain() {
        return this.networkDomain;
    }

    /** @param networkDomain the network domain */
    public void setNetworkDomain(String networkDomain) {
        this.networkDomain = networkDomain;
    }

    @Override
    public Date getCreated() {
        return this.created;
    }

    @Override
    public Date getRemoved() {
        return this.removed;
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
    public boolean isDefault() {
        return this.isDefault;
    }

    @Override
    public Long getDefaultZoneId() {
        return this.defaultZoneId;
    }

    @Override
    public long getAccountId() {
        return this.id;
    }

    @Override
    public Class<?> getEntityType() {
        return Account.class;
    }

    @Override
    public String getName() {
        return this.accountName;
    }

    @Override
    public String toString() {
        return String.format("Acct[%s-%s]", uuid, accountName);
    }
}
