package com.cloud.storage.dao;

import java.util.List;

import com.cloud.storage.BucketVO;
import com.cloud.utils.db.GenericDao;

/** Stand-in for CloudStack's {@code BucketDao} (main, with resource limits). */
public interface BucketDao extends GenericDao<BucketVO, Long> {
    /**
     * @param objectStoreId the store
     * @return its buckets that are neither removed nor Destroyed
     */
    List<BucketVO> listByObjectStoreId(long objectStoreId);

    /**
     * @param objectStoreId the store
     * @param accountId the owner
     * @return the owner's buckets on the store
     */
    List<BucketVO> listByObjectStoreIdAndAccountId(long objectStoreId, long accountId);

    /**
     * @param ids row ids
     * @return the rows found
     */
    List<BucketVO> searchByIds(Long[] ids);

    /**
     * @param accountId the owner
     * @return the number of its buckets
     */
    Long countBucketsForAccount(long accountId);

    /**
     * @param accountId the owner
     * @return the sum of its quotas in bytes
     */
    Long calculateObjectStorageAllocationForAccount(long accountId);
}
