package org.apache.cloudstack.storage.datastore.driver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code EcsObjectStore.open} is given for one store: its URL and its details as the
 * administrator entered them, copied without null keys or values. Nothing is defaulted or
 * reinterpreted here: which of the URL and the details wins is the Rust driver's rule
 * ({@code StoreConfig}), so the plug-in and {@code ecsctl} read a store the same way.
 *
 * <p>The details cross JNI as they are, the service password in plain text, because the Rust
 * driver needs it to log in; there it goes into a {@code SecretString} at once. On this side the
 * map is never logged, and {@link #toString()} names the details without their values.
 *
 * @param url the store's URL ({@code object_store.url}), or null
 * @param details the store's details, unmodifiable
 */
public record StoreDetails(String url, Map<String, String> details) {
    /** Copies {@code details} so the record is immutable. */
    public StoreDetails {
        details = Map.copyOf(details);
    }

    /**
     * @param details the store's details (may be null)
     * @param storeUrl the store's URL (may be null)
     * @return the pair, without null keys or values
     */
    public static StoreDetails of(Map<String, String> details, String storeUrl) {
        Map<String, String> out = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k, v);
                }
            });
        }
        return new StoreDetails(storeUrl, out);
    }

    /** @return the URL and the detail keys, never a value (one of them is the password) */
    @Override
    public String toString() {
        return "StoreDetails[url=" + url + ", details=" + new java.util.TreeSet<>(details.keySet()) + " (values redacted)]";
    }
}
