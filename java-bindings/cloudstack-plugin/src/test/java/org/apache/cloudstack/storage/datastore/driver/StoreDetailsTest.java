package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StoreDetailsTest {
    @Test
    void theStoreUrlFillsAMissingManagementUrl() {
        Map<String, String> d = StoreDetails.effective(Map.of("sa_user", "root"), " https://ecs:4443 ");
        assertEquals(Map.of("sa_user", "root", "mgmt_url", "https://ecs:4443"), d);
    }

    @Test
    void anExplicitManagementUrlWins() {
        Map<String, String> d = StoreDetails.effective(Map.of("mgmt_url", "https://mgmt:4443"), "https://other");
        assertEquals("https://mgmt:4443", d.get("mgmt_url"));
    }

    @Test
    void nullsAreDroppedAndTheResultIsReadOnly() {
        Map<String, String> raw = new HashMap<>();
        raw.put("a", null);
        raw.put(null, "b");
        raw.put("c", "d");
        Map<String, String> d = StoreDetails.effective(raw, null);
        assertEquals(Map.of("c", "d"), d);
        assertThrows(UnsupportedOperationException.class, () -> d.put("x", "y"));
        assertEquals(Map.of(), StoreDetails.effective(null, " "));
    }
}
