package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StoreDetailsTest {
    @Test
    void theStoreUrlIsPassedOnUntouchedBesideTheDetails() {
        StoreDetails d = StoreDetails.of(Map.of("sa_user", "root"), "https://s3.example.com");
        assertEquals("https://s3.example.com", d.url());
        assertEquals(Map.of("sa_user", "root"), d.details(), "no mgmt_url is made up in Java");
    }

    @Test
    void aChangedUrlOrDetailIsADifferentStore() {
        StoreDetails a = StoreDetails.of(Map.of("mgmt_url", "https://mgmt:4443"), "https://s3");
        assertEquals(a, StoreDetails.of(new HashMap<>(Map.of("mgmt_url", "https://mgmt:4443")), "https://s3"));
        assertNotEquals(a, StoreDetails.of(Map.of("mgmt_url", "https://mgmt:4443"), "https://other"));
        assertNotEquals(a, StoreDetails.of(Map.of("mgmt_url", "https://mgmt:4444"), "https://s3"));
    }

    @Test
    void nullsAreDroppedAndTheResultIsReadOnly() {
        Map<String, String> raw = new HashMap<>();
        raw.put("a", null);
        raw.put(null, "b");
        raw.put("c", "d");
        StoreDetails d = StoreDetails.of(raw, null);
        assertEquals(Map.of("c", "d"), d.details());
        assertThrows(UnsupportedOperationException.class, () -> d.details().put("x", "y"));
        assertEquals(Map.of(), StoreDetails.of(null, " ").details());
        assertNull(d.url());
    }
}
