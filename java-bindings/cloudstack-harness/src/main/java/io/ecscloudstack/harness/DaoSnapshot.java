package io.ecscloudstack.harness;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountDetailVO;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreDetailVO;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;

/**
 * What the DAOs held after a step: stores and their details, every bucket row (removed ones
 * included, with {@code getRemoved()} set) and the account details. {@link #toString()} redacts
 * values whose name mentions a secret, password or token; the accessors do not.
 */
public final class DaoSnapshot {
    private final List<ObjectStoreVO> stores;
    private final Map<Long, Map<String, String>> storeDetails;
    private final List<BucketVO> buckets;
    private final Map<Long, Map<String, String>> accountDetails;

    DaoSnapshot(List<ObjectStoreVO> stores, List<ObjectStoreDetailVO> storeDetails, List<BucketVO> buckets,
            List<AccountDetailVO> accountDetails) {
        this.stores = List.copyOf(stores);
        this.storeDetails = group(storeDetails.stream()
                .collect(Collectors.groupingBy(ObjectStoreDetailVO::getResourceId, TreeMap::new,
                        Collectors.toMap(ObjectStoreDetailVO::getName, ObjectStoreDetailVO::getValue,
                                (a, b) -> b, TreeMap::new))));
        this.buckets = List.copyOf(buckets);
        this.accountDetails = group(accountDetails.stream()
                .collect(Collectors.groupingBy(AccountDetailVO::getAccountId, TreeMap::new,
                        Collectors.toMap(AccountDetailVO::getName, AccountDetailVO::getValue,
                                (a, b) -> b, TreeMap::new))));
    }

    private static Map<Long, Map<String, String>> group(Map<Long, TreeMap<String, String>> grouped) {
        Map<Long, Map<String, String>> out = new TreeMap<>();
        grouped.forEach((id, details) -> out.put(id, Collections.unmodifiableMap(details)));
        return Collections.unmodifiableMap(out);
    }

    /** @return every store row */
    public List<ObjectStoreVO> stores() {
        return stores;
    }

    /**
     * @param storeId a store
     * @return its details (empty if none)
     */
    public Map<String, String> storeDetails(long storeId) {
        return storeDetails.getOrDefault(storeId, Map.of());
    }

    /** @return every bucket row, removed ones included */
    public List<BucketVO> buckets() {
        return buckets;
    }

    /**
     * @param name a bucket name
     * @return the bucket row of that name that is not removed
     */
    public Optional<BucketVO> bucket(String name) {
        return buckets.stream().filter(b -> b.getRemoved() == null && name.equals(b.getName())).findFirst();
    }

    /**
     * @param accountId an account
     * @return its details (empty if none)
     */
    public Map<String, String> accountDetails(long accountId) {
        return accountDetails.getOrDefault(accountId, Map.of());
    }

    static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("secret") || n.contains("password") || n.contains("passwd") || n.contains("token");
    }

    private static String redacted(Map<String, String> details) {
        return details.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecretName(e.getKey()) ? "****" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (ObjectStoreVO s : stores) {
            sb.append("store ").append(s.getId()).append(' ').append(s.getName()).append(" (")
                    .append(s.getProviderName()).append(") ").append(s.getUrl())
                    .append(s.getRemoved() == null ? "" : " REMOVED").append(' ')
                    .append(redacted(storeDetails(s.getId()))).append('\n');
        }
        for (BucketVO b : buckets) {
            sb.append("bucket ").append(b.getId()).append(' ').append(b.getName()).append(" store=")
                    .append(b.getObjectStoreId()).append(" account=").append(b.getAccountId()).append(" state=")
                    .append(b.getState()).append(" size=").append(b.getSize()).append(" quota=")
                    .append(b.getQuota()).append(" versioning=").append(b.isVersioning()).append(" encryption=")
                    .append(b.isEncryption()).append(" objectLock=").append(b.isObjectLock()).append(" policy=")
                    .append(b.getPolicy()).append(" url=").append(b.getBucketURL()).append(" accessKey=")
                    .append(b.getAccessKey()).append(" secretKey=")
                    .append(b.getSecretKey() == null ? "null" : "****")
                    .append(b.getRemoved() == null ? "" : " REMOVED").append('\n');
        }
        accountDetails.forEach((id, details) ->
                sb.append("account ").append(id).append(' ').append(redacted(details)).append('\n'));
        return sb.toString();
    }
}
