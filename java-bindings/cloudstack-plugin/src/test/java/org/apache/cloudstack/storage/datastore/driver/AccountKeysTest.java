package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import io.ecscloudstack.ecs.AccountCredentials;
import io.ecscloudstack.harness.dao.InMemoryAccountDetailsDao;
import org.junit.jupiter.api.Test;

class AccountKeysTest {
    private final InMemoryAccountDetailsDao dao = new InMemoryAccountDetailsDao();
    private final AccountKeys keys = new AccountKeys(dao);

    @Test
    void keysAreScopedByStore() {
        assertEquals("objectstore-3-ecs-access-key", AccountKeys.accessKeyName(3));
        assertEquals("objectstore-3-ecs-secret-key", AccountKeys.secretKeyName(3));
        keys.save(1, 3, new AccountCredentials("cs-u1", "s3cret"));
        keys.save(1, 4, new AccountCredentials("cs-u1", "other"));
        assertEquals("s3cret", keys.load(1, 3).secretKey());
        assertEquals("other", keys.load(1, 4).secretKey());
        assertNull(keys.load(2, 3));
    }

    @Test
    void savingMergesAndKeepsOtherDetails() {
        dao.addDetail(1, "unrelated", "keep-me", true);
        keys.save(1, 3, new AccountCredentials("cs-u1", "s3cret"));
        keys.save(1, 3, new AccountCredentials("cs-u1", "rotated"));
        assertEquals(Map.of("unrelated", "keep-me", "objectstore-3-ecs-access-key", "cs-u1",
                "objectstore-3-ecs-secret-key", "rotated"), dao.findDetails(1));
        assertEquals(0, dao.replacingWritesByThisThread());
    }

    @Test
    void halfStoredCredentialsCountAsNone() {
        dao.addDetail(1, AccountKeys.accessKeyName(3), "cs-u1", false);
        assertNull(keys.load(1, 3));
    }

    @Test
    void theUpstreamPairIsOfferedOnlyWhenTheStoreHasNoneAndIsNeverChanged() {
        dao.addDetail(1, AccountKeys.LEGACY_ACCESS_KEY, "cs-u1", false);
        dao.addDetail(1, AccountKeys.LEGACY_SECRET_KEY, "upstream", false);
        assertNull(keys.load(1, 3));
        assertEquals(new AccountCredentials("cs-u1", "upstream"), keys.stored(1, 3));
        keys.save(1, 3, new AccountCredentials("cs-u1", "upstream"));
        keys.save(1, 4, new AccountCredentials("cs-u1", "other"));
        assertEquals("other", keys.stored(1, 4).secretKey(), "the store's own pair wins");
        assertEquals("upstream", dao.findDetails(1).get(AccountKeys.LEGACY_SECRET_KEY));
        assertNull(keys.stored(2, 3));
    }
}
