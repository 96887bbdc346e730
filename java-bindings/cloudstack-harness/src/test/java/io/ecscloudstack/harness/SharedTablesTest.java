package io.ecscloudstack.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.cloud.storage.BucketVO;
import com.cloud.user.AccountVO;
import io.ecscloudstack.harness.dao.InMemoryAccountDetailsDao;
import io.ecscloudstack.harness.dao.InMemoryBucketDao;
import org.apache.cloudstack.storage.object.Bucket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables shared through a file, as two management servers share CloudStack's database: here two
 * DAOs (two "servers") in one process on the same file; the two-JVM suite
 * ({@code tests/tests/two_jvms.rs}) shares them between processes.
 */
class SharedTablesTest {
    @TempDir
    Path dir;

    private static BucketVO newBucket(String name) {
        return new BucketVO(7L, 1L, 3L, name, 10, false, false, false, null);
    }

    @Test
    void aRowWrittenByOneServerIsSeenByTheOtherWithItsColumns() {
        InMemoryBucketDao a = new InMemoryBucketDao();
        InMemoryBucketDao b = new InMemoryBucketDao();
        a.shareThrough(dir.resolve("bucket.table"));
        b.shareThrough(dir.resolve("bucket.table"));
        BucketVO made = a.persist(newBucket("photos"));
        BucketVO seen = b.findById(made.getId());
        assertNotNull(seen);
        assertEquals("photos", seen.getName());
        assertEquals(10, seen.getQuota());
        assertEquals(made.getCreated(), seen.getCreated());

        // Dirty-column updates from both servers merge, as CloudStack's UPDATE of changed columns.
        BucketVO fromA = a.findById(made.getId());
        BucketVO fromB = b.findById(made.getId());
        fromA.setAccessKey("AK");
        assertTrue(a.update(made.getId(), fromA));
        fromB.setState(Bucket.State.Created);
        assertTrue(b.update(made.getId(), fromB));
        BucketVO now = a.findById(made.getId());
        assertEquals("AK", now.getAccessKey());
        assertEquals(Bucket.State.Created, now.getState());

        // A row one server removed cannot be updated by the other.
        assertTrue(b.remove(made.getId()));
        assertFalse(a.update(made.getId(), now));
        assertNull(a.findById(made.getId()));
    }

    @Test
    void aNewServerJoiningAnExistingDatabaseSeesItsRows() {
        InMemoryBucketDao first = new InMemoryBucketDao();
        first.shareThrough(dir.resolve("bucket.table"));
        first.persist(newBucket("a"));
        InMemoryBucketDao joining = new InMemoryBucketDao();
        joining.shareThrough(dir.resolve("bucket.table"));
        assertEquals(List.of("a"), joining.listAll().stream().map(BucketVO::getName).toList());
        assertEquals(2L, joining.persist(newBucket("b")).getId());
        assertThrows(IllegalStateException.class, () -> joining.shareThrough(dir.resolve("other.table")));
    }

    @Test
    void concurrentWritesFromBothServersGetDistinctIdsAndNoneIsLost() throws Exception {
        InMemoryBucketDao a = new InMemoryBucketDao();
        InMemoryBucketDao b = new InMemoryBucketDao();
        a.shareThrough(dir.resolve("bucket.table"));
        b.shareThrough(dir.resolve("bucket.table"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                InMemoryBucketDao server = i % 2 == 0 ? a : b;
                String name = "b" + i;
                ids.add(pool.submit(() -> server.persist(newBucket(name)).getId()));
            }
            Set<Long> distinct = new HashSet<>();
            for (Future<Long> id : ids) {
                distinct.add(id.get(30, TimeUnit.SECONDS));
            }
            assertEquals(200, distinct.size());
            assertEquals(200, a.listAll().size());
            assertEquals(200, b.listAll().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCompoundDetailsUpdateIsOneTransaction() throws Exception {
        InMemoryAccountDetailsDao a = new InMemoryAccountDetailsDao();
        InMemoryAccountDetailsDao b = new InMemoryAccountDetailsDao();
        a.shareThrough(dir.resolve("details.table"));
        b.shareThrough(dir.resolve("details.table"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            // Each update merges into the account's details (read, remove all, write all): were
            // the steps separate transactions, one server would wipe the other's detail.
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                InMemoryAccountDetailsDao server = i % 2 == 0 ? a : b;
                String key = "k" + i;
                done.add(pool.submit(() -> server.update(5L, Map.of(key, "v"))));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(100, a.findDetails(5L).size());
        assertEquals(100, b.findDetails(5L).size());
    }

    @Test
    void twoHarnessesOnOneDatabaseShareEveryTable() {
        FakeObjectStore.Provider providerA = new FakeObjectStore.Provider();
        FakeObjectStore.Provider providerB = new FakeObjectStore.Provider();
        CloudStackHarness a = CloudStackHarness.startShared(dir, providerA);
        CloudStackHarness b = CloudStackHarness.startShared(dir, providerB);
        Map<String, String> details = Map.of("endpoint", "https://s3.example.com");
        long storeId = a.addObjectStore(providerA.getName(), "s", "https://s3.example.com", details).orThrow().getId();
        AccountVO account = b.createAccount("acct");
        BucketVO bucket = b.createBucket(BucketRequest.of(storeId, account.getId(), "from-b")).orThrow();
        assertEquals(details, a.objectStoreDetailsDao().getDetails(storeId));
        assertEquals("acct", a.accountDao().findById(account.getId()).getAccountName());
        assertEquals("from-b", a.bucketDao().findById(bucket.getId()).getName());
        assertTrue(a.deleteBucket(bucket.getId()).orThrow());
        assertNull(b.bucketDao().findById(bucket.getId()));
    }
}
