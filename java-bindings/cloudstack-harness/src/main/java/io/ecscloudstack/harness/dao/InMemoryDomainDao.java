package io.ecscloudstack.harness.dao;

import java.util.Objects;

import com.cloud.domain.DomainVO;
import com.cloud.domain.dao.DomainDao;

/** In-memory {@link DomainDao}. */
public final class InMemoryDomainDao extends InMemoryDao<DomainVO> implements DomainDao {

    /** Creates an empty table. */
    public InMemoryDomainDao() {
        super(DomainVO.class);
    }

    @Override
    public DomainVO findDomainByPath(String domainPath) {
        return selectOne(d -> Objects.equals(d.getPath(), domainPath));
    }
}
