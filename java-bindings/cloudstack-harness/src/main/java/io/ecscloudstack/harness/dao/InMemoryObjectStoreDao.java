package io.ecscloudstack.harness.dao;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.apache.cloudstack.storage.datastore.db.ObjectStoreDao;
import org.apache.cloudstack.storage.datastore.db.ObjectStoreVO;

/** In-memory {@link ObjectStoreDao}. */
public final class InMemoryObjectStoreDao extends InMemoryDao<ObjectStoreVO> implements ObjectStoreDao {

    /** Creates an empty table. */
    public InMemoryObjectStoreDao() {
        super(ObjectStoreVO.class);
    }

    @Override
    public ObjectStoreVO findByName(String name) {
        return selectOne(s -> Objects.equals(s.getName(), name));
    }

    @Override
    public List<ObjectStoreVO> findByProvider(String provider) {
        return select(s -> Objects.equals(s.getProviderName(), provider));
    }

    @Override
    public ObjectStoreVO findByUrl(String url) {
        return selectOne(s -> Objects.equals(s.getUrl(), url));
    }

    @Override
    public List<ObjectStoreVO> listObjectStores() {
        return listAll();
    }

    @Override
    public List<ObjectStoreVO> searchByIds(Long[] ids) {
        List<Long> wanted = Arrays.asList(ids);
        return select(s -> wanted.contains(s.getId()));
    }

    @Override
    public Integer countAllObjectStores() {
        return countAll();
    }
}
