package org.apache.cloudstack.storage.datastore.driver;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import com.cloud.user.AccountDetailVO;
import com.cloud.user.AccountDetailsDao;
import io.ecscloudstack.ecs.AccountCredentials;

/**
 * An account's ECS credentials for one store, kept in CloudStack's account details under
 * store-scoped keys ({@code objectstore-<storeId>-ecs-access-key} and {@code -secret-key}, the
 * convention of CloudStack PR #14170), so two ECS stores never clash. Writes merge into the
 * account's details ({@code AccountDetailsDao.update}); they never replace them.
 *
 * <p>The upstream ECS plug-in (CloudStack PR #12124) kept one pair per account,
 * {@code ecs.accesskey}/{@code ecs.secretkey}. {@link #stored} offers that pair when the store has
 * none of its own, so after a switch the Rust driver keeps the account's existing key (it
 * ignores a pair that belongs to another ECS user); the old details are never changed.
 *
 * <p>No lock: concurrent provisioning of one account converges in the Rust driver (every caller
 * ends with the same key), so concurrent saves write the same values.
 */
public final class AccountKeys {
    /** The upstream plug-in's account detail holding the ECS user (the S3 access key). */
    public static final String LEGACY_ACCESS_KEY = "ecs.accesskey";
    /** The upstream plug-in's account detail holding the S3 secret key. */
    public static final String LEGACY_SECRET_KEY = "ecs.secretkey";

    private final AccountDetailsDao details;

    /** @param details the account-details DAO */
    public AccountKeys(AccountDetailsDao details) {
        this.details = details;
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
        return pair(accountId, accessKeyName(storeId), secretKeyName(storeId));
    }

    /**
     * @param accountId the account
     * @param storeId the store
     * @return the store's credentials, else the upstream plug-in's pair, else null
     */
    public AccountCredentials stored(long accountId, long storeId) {
        AccountCredentials scoped = load(accountId, storeId);
        return scoped != null ? scoped : pair(accountId, LEGACY_ACCESS_KEY, LEGACY_SECRET_KEY);
    }

    private AccountCredentials pair(long accountId, String accessName, String secretName) {
        String access = value(details.findDetail(accountId, accessName));
        String secret = value(details.findDetail(accountId, secretName));
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
