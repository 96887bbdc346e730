package io.ecscloudstack.demo;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.harness.CloudStackHarness;
import java.util.Map;
import org.apache.cloudstack.storage.datastore.driver.AccountKeys;

/**
 * CloudStack's rows of a store as JSON, in the shape the soak's checker reads
 * ({@code tests/tests/soak.rs}): the fields the soak and the two-server run write alike.
 */
final class RowsJson {
    private RowsJson() {
    }

    /** Appends the account's row: its UUID and the keys CloudStack stored for the store. */
    static StringBuilder account(StringBuilder json, CloudStackHarness cs, AccountVO account, long storeId) {
        Map<String, String> stored = cs.accountDetailsDao().findDetails(account.getId());
        return json.append("{\"uuid\":").append(quote(account.getUuid())).append(",\"access_key\":")
                .append(quote(stored.get(AccountKeys.accessKeyName(storeId)))).append(",\"secret_key\":")
                .append(quote(stored.get(AccountKeys.secretKeyName(storeId)))).append('}');
    }

    /** Appends the bucket row's common fields, up to its access key; the caller adds more and closes it. */
    static StringBuilder bucketFields(StringBuilder json, CloudStackHarness cs, BucketVO row) {
        AccountVO owner = cs.accountDao().findById(row.getAccountId());
        return json.append("{\"name\":").append(quote(row.getName())).append(",\"account\":")
                .append(quote(owner.getUuid())).append(",\"quota\":").append(row.getQuota())
                .append(",\"versioning\":").append(row.isVersioning()).append(",\"encryption\":")
                .append(row.isEncryption()).append(",\"policy\":").append(quote(row.getPolicy()))
                .append(",\"access_key\":").append(quote(row.getAccessKey()));
    }

    /** @return the text as a JSON string, or {@code null} */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
