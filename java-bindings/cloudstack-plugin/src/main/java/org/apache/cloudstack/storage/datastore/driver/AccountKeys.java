package org.apache.cloudstack.storage.datastore.driver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import com.cloud.user.AccountDetailVO;
import com.cloud.user.AccountDetailsDao;
import io.ecscloudstack.ecs.AccountCredentials;

/**
 * An account's ECS credentials for one store, kept in CloudStack's account details under
 * store-scoped keys ({@code objectstore-<storeId>-ecs-access-key} and {@code -secret-key}, the
 * convention of CloudStack PR #14170), so two ECS stores never clash. Writes merge into the
 * account's details ({@code AccountDetailsDao.update}); they never replace them.
 */
public final class AccountKeys {
    private static final ConcurrentHashMap<String, Object> LOCKS = new ConcurrentHashMap<>();

    private final AccountDetailsDao details;

    /** @param details the account-details DAO */
    public AccountKeys(AccountDetailsDao details) {
        this.details = details;
    }

    /**
     * The monitor serialising, within this management server, the read-provision-write of one
     * account's credentials on one store, so concurrent first buckets of an account provision
     * its ECS user once.
     *
     * @param accountId the account
     * @param storeId the store
     * @return the same object for the same pair
     */
    public static Object lock(long accountId, long storeId) {
        return LOCKS.computeIfAbsent(storeId + "/" + accountId, k -> new Object());
    }

    /**
     * @param storeId a store
     * @return the detail name of the account's access key (the ECS user id) for that store
     */
    public static String accessKeyName(long storeId) {
        return "objectstore-" + storeId + "-ecs-access-key";
    }

    /**
     * @param storeId a store
     * @return the detail name of the account's secret key for that store
     */
    public static String secretKeyName(long storeId) {
        return "objectstore-" + storeId + "-ecs-secret-key";
    }

    /**
     * @param accountId the account
     * @param storeId the store
     * @return the stored credentials, or null unless both keys are stored
     */
    public AccountCredentials load(long accountId, long storeId) {
        String access = value(details.findDetail(accountId, accessKeyName(storeId)));
        String secret = value(details.findDetail(accountId, secretKeyName(storeId)));
        if (access == null || access.isEmpty() || secret == null || secret.isEmpty()) {
            return null;
        }
        return new AccountCredentials(access, secret);
    }

    /**
     * The stored value as written: these details are not configuration keys, so CloudStack never
     * encrypts them ({@code getActualValue} would return the same), and {@code getValue} links on
     * every release line, where {@code getActualValue} moved between interfaces (see
     * CloudStackReleasesTest).
     */
    private static String value(AccountDetailVO detail) {
        return detail == null ? null : detail.getValue();
    }

    /**
     * Stores the credentials unless they are already stored; other details stay untouched.
     *
     * @param accountId the account
     * @param storeId the store
     * @param credentials the credentials to keep
     */
    public void save(long accountId, long storeId, AccountCredentials credentials) {
        AccountCredentials stored = load(accountId, storeId);
        if (stored != null && Objects.equals(stored.userId(), credentials.userId())
                && Objects.equals(stored.secretKey(), credentials.secretKey())) {
            return;
        }
        Map<String, String> merged = new LinkedHashMap<>();
        merged.put(accessKeyName(storeId), credentials.userId());
        merged.put(secretKeyName(storeId), credentials.secretKey());
        details.update(accountId, merged);
    }
}
