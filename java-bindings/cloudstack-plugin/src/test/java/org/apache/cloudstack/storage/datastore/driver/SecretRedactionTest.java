package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ecscloudstack.ecs.AccountCredentials;
import org.junit.jupiter.api.Test;

/**
 * The Java carriers of secrets never show them: the store details (which hold the service
 * password on their way to JNI) and account credentials; and a stopping plug-in closes every
 * store it opened (each close logs a session out of ECS).
 */
class SecretRedactionTest {
    private static final String PASSWORD = "pa55-w0rd-under-test";
    private static final String SECRET = "s3cret-key-under-test";

    @Test
    void storeDetailsNameTheirKeysButNoValue() {
        StoreDetails details = StoreDetails.of(
                Map.of("mgmt_url", "https://ecs:4443", "sa_user", "cloud", "sa_password", PASSWORD),
                "https://s3.example.com");
        String shown = details.toString();
        assertFalse(shown.contains(PASSWORD), shown);
        assertTrue(shown.contains("sa_password"), shown);
        assertTrue(shown.contains("https://s3.example.com"), shown);
        assertEquals(PASSWORD, details.details().get("sa_password"), "the value itself still crosses to Rust");
    }

    @Test
    void accountCredentialsNeverShowTheSecretKey() {
        String shown = new AccountCredentials("cs-account", SECRET).toString();
        assertFalse(shown.contains(SECRET), shown);
    }

    @Test
    void closeAllClosesEveryOpenStore() {
        List<String> closed = new ArrayList<>();
        StoreRegistry<String, AutoCloseable> registry = new StoreRegistry<>(name -> () -> closed.add(name));
        registry.get(1, "first");
        registry.get(2, "second");
        registry.closeAll();
        assertEquals(List.of("first", "second"), closed.stream().sorted().toList());
        assertEquals(0, registry.size());
        registry.closeAll();
        assertEquals(2, closed.size(), "closing twice closes nothing more");
    }
}
