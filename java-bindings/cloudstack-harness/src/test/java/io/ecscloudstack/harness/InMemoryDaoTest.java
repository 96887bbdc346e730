package io.ecscloudstack.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.cloud.storage.BucketVO;
import io.ecscloudstack.harness.dao.InMemoryAccountDetailsDao;
import io.ecscloudstack.harness.dao.InMemoryBucketDao;
import io.ecscloudstack.harness.dao.InMemoryObjectStoreDetailsDao;
import org.apache.cloudstack.storage.object.Bucket;
import org.junit.jupiter.api.Test;

class InMemoryDaoTest {

    private static BucketVO newBucket(String name) {
        return new BucketVO(7L, 1L, 3L, name, 10, false, false, false, null);
    }

    @Test
    void persistAssignsIdsAndCreatedAndStoresACopy() {
        InMemoryBucketDao dao = new InMemoryBucketDao();
        BucketVO mine = newBucket("a");
        BucketVO stored = dao.persist(mine);
        assertEquals(1L, stored.getId());
        assertNotNull(stored.getCreated());
        assertEquals(0L, mine.getId());
        mine.setPolicy("changed without update");
        stored.setPolicy("changed without update");
        assertNull(dao.findById(1L).getPolicy());
        assertEquals(2L, dao.persist(newBucket("b")).getId());
    }

    @Test
    void updateWritesOnlyTheColumnsTheHolderChanged() {
        InMemoryBucketDao dao = new InMemoryBucketDao();
        long id = dao.persist(newBucket("a")).getId();
        BucketVO stale = dao.findById(id);
        BucketVO other = dao.findById(id);
        other.setAccessKey("AK");
        assertTrue(dao.update(id, other));
        stale.setState(Bucket.State.Created);
        assertTrue(dao.update(id, stale));
        BucketVO now = dao.findById(id);
        assertEquals("AK", now.getAccessKey());
        assertEquals(Bucket.State.Created, now.getState());
    }

    @Test
    void removeIsSoftAndHidesTheRow() {
        InMemoryBucketDao dao = new InMemoryBucketDao();
        long id = dao.persist(newBucket("a")).getId();
        assertTrue(dao.remove(id));
        assertNull(dao.findById(id));
        assertTrue(dao.listAll().isEmpty());
        assertEquals(1, dao.listAllIncludingRemoved().size());
        assertFalse(dao.remove(id));
        assertFalse(dao.update(id, newBucket("x")));
        assertTrue(dao.expunge(id));
        assertTrue(dao.listAllIncludingRemoved().isEmpty());
    }

    @Test
    void bucketListsSkipDestroyedAndOtherStores() {
        InMemoryBucketDao dao = new InMemoryBucketDao();
        dao.persist(newBucket("a"));
        BucketVO destroyed = newBucket("b");
        destroyed.setState(Bucket.State.Destroyed);
        dao.persist(destroyed);
        dao.persist(new BucketVO(7L, 1L, 4L, "c", 1, false, false, false, null));
        assertEquals(1, dao.listByObjectStoreId(3L).size());
        assertEquals(2, dao.listByObjectStoreIdAndAccountId(3L, 7L).size());
        assertEquals(21L * 1024 * 1024 * 1024, dao.calculateObjectStorageAllocationForAccount(7L));
        assertEquals(3L, dao.countBucketsForAccount(7L));
        assertEquals("a", dao.findByUuid(dao.findById(1L).getUuid()).getName());
    }

    @Test
    void accountDetailsPersistReplacesAndUpdateMerges() {
        InMemoryAccountDetailsDao dao = new InMemoryAccountDetailsDao();
        dao.addDetail(1L, "keep", "v", true);
        dao.addDetail(2L, "other-account", "v", true);
        dao.update(1L, Map.of("k1", "a"));
        assertEquals(Map.of("keep", "v", "k1", "a"), dao.findDetails(1L));
        dao.addDetail(1L, "k1", "b", false);
        assertEquals("b", dao.findDetail(1L, "k1").getValue());
        assertEquals(0, dao.replacingWritesByThisThread());
        dao.persist(1L, Map.of("only", "x"));
        assertEquals(Map.of("only", "x"), dao.findDetails(1L));
        assertEquals(1, dao.replacingWritesByThisThread());
        assertEquals(Map.of("other-account", "v"), dao.findDetails(2L));
        dao.deleteDetails(1L);
        assertTrue(dao.findDetails(1L).isEmpty());
    }

    @Test
    void storeDetailsUpdateReplacesEverything() {
        InMemoryObjectStoreDetailsDao dao = new InMemoryObjectStoreDetailsDao();
        dao.update(5L, Map.of("a", "1", "b", "2"));
        dao.update(5L, Map.of("c", "3"));
        assertEquals(Map.of("c", "3"), dao.getDetails(5L));
        assertEquals("3", dao.findDetail(5L, "c").getValue());
        dao.removeDetail(5L, "c");
        assertTrue(dao.getDetails(5L).isEmpty());
    }
}
