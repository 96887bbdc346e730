package com.cloud.user;

import org.apache.cloudstack.api.ResourceDetail;

/** Stand-in for CloudStack's {@code AccountDetailVO} (table {@code account_details}). */
public class AccountDetailVO implements ResourceDetail {
    private static final long serialVersionUID = 1L;

    private long id;
    private long accountId;
    private String name;
    private String value;

    /** For the persistence layer. */
    protected AccountDetailVO() {
    }

    /**
     * @param accountId the account
     * @param name the detail's name
     * @param value the detail's value
     */
    public AccountDetailVO(long accountId, String name, String value) {
        this.accountId = accountId;
        this.name = name;
        this.value = value;
    }

    /** @return the account */
    public long getAccountId() {
        return this.accountId;
    }

    @Override
    public long getResourceId() {
        return this.accountId;
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public String getValue() {
        return this.value;
    }

    /** @param value the new value */
    public void setValue(String value) {
        this.value = value;
    }

    @Override
    public boolean isDisplay() {
        return true;
    }

    @Override
    public long getId() {
        return this.id;
    }
}
