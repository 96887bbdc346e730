package org.apache.cloudstack.storage.datastore.driver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One open store client per CloudStack object store, rebuilt when the store's details change.
 * Opening happens at most once per store and details version, even under concurrent calls; the
 * client replaced by a rebuild is closed.
 *
 * @param <S> the client type
 */
public final class StoreRegistry<S extends AutoCloseable> {
    private static final Logger LOG = LogManager.getLogger(StoreRegistry.class);

    private final Function<Map<String, String>, S> opener;
    private final Map<Long, Entry<S>> entries = new ConcurrentHashMap<>();

    private record Entry<S>(Map<String, String> details, S client) {
    }

    /** @param opener opens a client from a details map; it may throw */
    public StoreRegistry(Function<Map<String, String>, S> opener) {
        this.opener = opener;
    }

    /**
     * @param storeId the CloudStack store id
     * @param details the store's current effective details
     * @return the client opened for exactly these details
     */
    public S get(long storeId, Map<String, String> details) {
        Entry<S> current = entries.get(storeId);
        if (current != null && current.details().equals(details)) {
            return current.client();
        }
        AtomicReference<Entry<S>> replaced = new AtomicReference<>();
        Entry<S> fresh = entries.compute(storeId, (id, existing) -> {
            if (existing != null && existing.details().equals(details)) {
                return existing;
            }
            replaced.set(existing);
            return new Entry<>(Map.copyOf(details), opener.apply(details));
        });
        if (replaced.get() != null) {
            LOG.info("ECS object store {}: details changed, client rebuilt", storeId);
            closeQuietly(storeId, replaced.get().client());
        }
        return fresh.client();
    }

    /**
     * Closes and forgets the client of one store, if any.
     *
     * @param storeId the CloudStack store id
     */
    public void evict(long storeId) {
        Entry<S> gone = entries.remove(storeId);
        if (gone != null) {
            closeQuietly(storeId, gone.client());
        }
    }

    /** @return how many stores have an open client */
    public int size() {
        return entries.size();
    }

    private static void closeQuietly(long storeId, AutoCloseable client) {
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("ECS object store {}: closing the replaced client failed: {}", storeId, e.getMessage());
        }
    }
}
