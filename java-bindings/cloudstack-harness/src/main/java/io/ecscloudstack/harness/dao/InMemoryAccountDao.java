package io.ecscloudstack.harness.dao;

import java.util.List;
import java.util.Objects;

import com.cloud.user.Account;
import com.cloud.user.AccountVO;
import com.cloud.user.dao.AccountDao;

/** In-memory {@link AccountDao}. */
public final class InMemoryAccountDao extends InMemoryDao<AccountVO> implements AccountDao {

    /** Creates an empty table. */
    public InMemoryAccountDao() {
        super(AccountVO.class);
    }

    private static boolean named(Account a, String accountName, Long domainId) {
        return Objects.equals(a.getAccountName(), accountName) && (domainId == null || a.getDomainId() == domainId);
    }

    @Override
    public Account findEnabledAccount(String accountName, Long domainId) {
        return selectOne(a -> named(a, accountName, domainId) && a.getState() == Account.State.ENABLED);
    }

    @Override
    public Account findActiveAccount(String accountName, Long domainId) {
        return selectOne(a -> named(a, accountName, domainId) && a.getState() != Account.State.DISABLED);
    }

    @Override
    public Account findActiveAccountById(Long accountId, Long domainId) {
        return selectOne(a -> a.getId() == accountId && (domainId == null || a.getDomainId() == domainId));
    }

    @Override
    public synchronized Account findAccountIncludingRemoved(String accountName, Long domainId) {
        return listAllIncludingRemoved().stream()
                .filter(a -> named(a, accountName, domainId))
                .findFirst()
                .orElse(null);
    }

    @Override
    public List<AccountVO> findAccountsByName(String accountName) {
        return select(a -> Objects.equals(a.getAccountName(), accountName));
    }

    @Override
    public long getDomainIdForGivenAccountId(long id) {
        AccountVO a = findById(id);
        return a == null ? 0L : a.getDomainId();
    }
}
