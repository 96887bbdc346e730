package com.cloud.user.dao;

import java.util.List;

import com.cloud.user.Account;
import com.cloud.user.AccountVO;
import com.cloud.utils.db.GenericDao;

/** Stand-in for CloudStack's {@code AccountDao} (the methods plug-ins use). */
public interface AccountDao extends GenericDao<AccountVO, Long> {
    /**
     * @param accountName the name
     * @param domainId the domain
     * @return the enabled account, or null
     */
    Account findEnabledAccount(String accountName, Long domainId);

    /**
     * @param accountName the name
     * @param domainId the domain
     * @return the active account, or null
     */
    Account findActiveAccount(String accountName, Long domainId);

    /**
     * @param accountId the id
     * @param domainId the domain
     * @return the active account, or null
     */
    Account findActiveAccountById(Long accountId, Long domainId);

    /**
     * @param accountName the name
     * @param domainId the domain
     * @return the account even if removed, or null
     */
    Account findAccountIncludingRemoved(String accountName, Long domainId);

    /**
     * @param accountName the name
     * @return the accounts with that name
     */
    List<AccountVO> findAccountsByName(String accountName);

    /**
     * @param id the account
     * @return its domain
     */
    long getDomainIdForGivenAccountId(long id);
}
