package org.apache.cloudstack.storage.datastore.driver;

import java.util.List;
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
 * @param <K> what a client is opened from (a value type: equal keys, same client)
 * @param <S> the client type
 */
public final class StoreRegistry<K, S extends AutoCloseable> {
    private static final Logger LOG = LogManager.getLogger(StoreRegistry.class);

    private final Function<K, S> opener;
    private final Map<Long, Entry<K, S>> entries = new ConcurrentHashMap<>();

    private record Entry<K, S>(K details, S client) {
    }

    /** @param opener opens a client from a store's details; it may throw */
    public StoreRegistry(Function<K, S> opener) {
        this.opener = opener;
    }

    /**
     * @param storeId the CloudStack store id
     * @param details the store's current effective details
     * @return the client opened for exactly these details
     */
    public S get(long storeId, K details) {
        Entry<K, S> current = entries.get(storeId);
        if (current != null && current.details().equals(details)) {
            return current.client();
        }
        AtomicReference<Entry<K, S>> replaced = new AtomicReference<>();
        Entry<K, S> fresh = entries.compute(storeId, (id, existing) -> {
            if (existing != null && existing.details().equals(details)) {
                return existing;
            }
            replaced.set(existing);
            return new Entry<>(details, opener.apply(details));
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
        Entry<K, S> gone = entries.remove(storeId);
        if (gone != null) {
            closeQuietly(storeId, gone.client());
        }
    }

    /** Closes and forgets every client (the management server is stopping). */
    public void closeAll() {
        for (Long storeId : List.copyOf(entries.keySet())) {
            evict(storeId);
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
