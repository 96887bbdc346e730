package io.ecscloudstack.harness.dao;

import java.util.Map;

import com.cloud.user.AccountDetailVO;
import com.cloud.user.AccountDetailsDao;

/**
 * In-memory {@link AccountDetailsDao} with CloudStack's semantics: {@code persist(id, map)}
 * replaces every detail of the account, {@code update(id, map)} merges.
 */
public final class InMemoryAccountDetailsDao extends InMemoryDetailsDao<AccountDetailVO> implements AccountDetailsDao {
    private final ThreadLocal<int[]> replacingWrites = ThreadLocal.withInitial(() -> new int[1]);

    /** Creates an empty table. */
    public InMemoryAccountDetailsDao() {
        super(AccountDetailVO.class);
    }

    @Override
    protected AccountDetailVO newDetail(long resourceId, String name, String value) {
        return new AccountDetailVO(resourceId, name, value);
    }

    @Override
    public Map<String, String> findDetails(long accountId) {
        return detailMap(accountId);
    }

    @Override
    public synchronized void persist(long accountId, Map<String, String> details) {
        replacingWrites.get()[0]++;
        replaceAll(accountId, details);
    }

    @Override
    public synchronized void update(long accountId, Map<String, String> details) {
        inTransaction(() -> {
            Map<String, String> merged = detailMap(accountId);
            merged.putAll(details);
            replaceAll(accountId, merged);
            return null;
        });
    }

    @Override
    public void deleteDetails(long accountId) {
        removeDetails(accountId);
    }

    /**
     * @return how many times the calling thread called {@code persist(accountId, map)}, which
     *         wipes every other detail of the account
     */
    public int replacingWritesByThisThread() {
        return replacingWrites.get()[0];
    }
}
