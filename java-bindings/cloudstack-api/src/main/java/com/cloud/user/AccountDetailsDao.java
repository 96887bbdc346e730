package com.cloud.user;

import java.util.Map;

import com.cloud.utils.db.GenericDao;
import org.apache.cloudstack.resourcedetail.ResourceDetailsDao;

/** Stand-in for CloudStack's {@code AccountDetailsDao} (main). */
public interface AccountDetailsDao extends GenericDao<AccountDetailVO, Long>, ResourceDetailsDao<AccountDetailVO> {
    /**
     * @param accountId the account
     * @return all its details, as a new map
     */
    Map<String, String> findDetails(long accountId);

    /**
     * <b>Replaces</b> every detail of the account with {@code details}.
     *
     * @param accountId the account
     * @param details the complete new set
     */
    void persist(long accountId, Map<String, String> details);

    /**
     * @param accountId the account
     * @param name the detail's name
     * @return the detail, or null
     */
    AccountDetailVO findDetail(long accountId, String name);

    /**
     * Merges {@code details} into the account's details.
     *
     * @param accountId the account
     * @param details the details to add or replace
     */
    void update(long accountId, Map<String, String> details);

    /** @param accountId the account whose details are all removed */
    void deleteDetails(long accountId);
}
