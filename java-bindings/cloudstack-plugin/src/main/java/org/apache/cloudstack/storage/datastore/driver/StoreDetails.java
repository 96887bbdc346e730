package org.apache.cloudstack.storage.datastore.driver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The details map handed to {@code EcsObjectStore.open}: the store's details as the
 * administrator entered them, with the store's URL as {@code mgmt_url} when that detail is
 * absent (the "add object storage" form's URL field is the ECS management URL).
 */
public final class StoreDetails {
    /** Detail key of the ECS management URL. */
    public static final String MGMT_URL = "mgmt_url";

    private StoreDetails() {
    }

    /**
     * @param details the store's details (may be null)
     * @param storeUrl the store's URL (may be null)
     * @return an unmodifiable copy, completed with {@code mgmt_url}, without null keys or values
     */
    public static Map<String, String> effective(Map<String, String> details, String storeUrl) {
        Map<String, String> out = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k, v);
                }
            });
        }
        String mgmt = out.get(MGMT_URL);
        if ((mgmt == null || mgmt.isBlank()) && storeUrl != null && !storeUrl.isBlank()) {
            out.put(MGMT_URL, storeUrl.trim());
        }
        return Collections.unmodifiableMap(out);
    }
}
