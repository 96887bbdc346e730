package io.ecscloudstack.harness.dao;

import java.util.Arrays;
import java.util.List;

import com.cloud.storage.BucketVO;
import com.cloud.storage.dao.BucketDao;
import org.apache.cloudstack.storage.object.Bucket;

/** In-memory {@link BucketDao}. */
public final class InMemoryBucketDao extends InMemoryDao<BucketVO> implements BucketDao {
    private static final long GIB = 1024L * 1024L * 1024L;

    /** Creates an empty table. */
    public InMemoryBucketDao() {
        super(BucketVO.class);
    }

    @Override
    public List<BucketVO> listByObjectStoreId(long objectStoreId) {
        return select(b -> b.getObjectStoreId() == objectStoreId && b.getState() != Bucket.State.Destroyed);
    }

    @Override
    public List<BucketVO> listByObjectStoreIdAndAccountId(long objectStoreId, long accountId) {
        return select(b -> b.getObjectStoreId() == objectStoreId && b.getAccountId() == accountId);
    }

    @Override
    public List<BucketVO> searchByIds(Long[] ids) {
        List<Long> wanted = Arrays.asList(ids);
        return select(b -> wanted.contains(b.getId()));
    }

    @Override
    public Long countBucketsForAccount(long accountId) {
        return (long) select(b -> b.getAccountId() == accountId).size();
    }

    @Override
    public Long calculateObjectStorageAllocationForAccount(long accountId) {
        return select(b -> b.getAccountId() == accountId).stream()
                .mapToLong(b -> b.getQuota() == null ? 0L : b.getQuota() * GIB)
                .sum();
    }
}
