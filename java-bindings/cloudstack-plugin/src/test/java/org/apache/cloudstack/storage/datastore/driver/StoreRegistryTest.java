package org.apache.cloudstack.storage.datastore.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class StoreRegistryTest {
    static final class Client implements AutoCloseable {
        final Map<String, String> details;
        volatile boolean closed;

        Client(Map<String, String> details) {
            this.details = details;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final AtomicInteger opened = new AtomicInteger();
    private final StoreRegistry<Map<String, String>, Client> registry = new StoreRegistry<>(d -> {
        opened.incrementAndGet();
        return new Client(d);
    });

    @Test
    void sameDetailsReuseTheClient() {
        Client a = registry.get(1, Map.of("mgmt_url", "http://a"));
        Client b = registry.get(1, new HashMap<>(Map.of("mgmt_url", "http://a")));
        assertSame(a, b);
        assertEquals(1, opened.get());
    }

    @Test
    void storesHaveTheirOwnClients() {
        Client a = registry.get(1, Map.of("mgmt_url", "http://a"));
        Client b = registry.get(2, Map.of("mgmt_url", "http://a"));
        assertNotSame(a, b);
        assertEquals(2, registry.size());
    }

    @Test
    void changedDetailsRebuildAndCloseTheOldClient() {
        Client a = registry.get(1, Map.of("mgmt_url", "http://a"));
        Client b = registry.get(1, Map.of("mgmt_url", "http://a", "insecure", "true"));
        assertNotSame(a, b);
        assertTrue(a.closed);
        assertFalse(b.closed);
        assertEquals("true", b.details.get("insecure"));
        registry.evict(1);
        assertTrue(b.closed);
        assertEquals(0, registry.size());
    }

    @Test
    void aFailingOpenLeavesNothingBehind() {
        StoreRegistry<Map<String, String>, Client> failing = new StoreRegistry<>(d -> {
            throw new IllegalArgumentException("mgmt_url: not a URL");
        });
        assertThrows(IllegalArgumentException.class, () -> failing.get(1, Map.of()));
        assertEquals(0, failing.size());
    }

    @Test
    void concurrentFirstCallsOpenOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Client>> got = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            got.add(pool.submit(() -> {
                go.await();
                return registry.get(7, Map.of("mgmt_url", "http://a"));
            }));
        }
        go.countDown();
        Client first = got.get(0).get(10, TimeUnit.SECONDS);
        for (Future<Client> f : got) {
            assertSame(first, f.get(10, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, opened.get());
    }
}
