package io.ecscloudstack.harness.dao;

import com.cloud.projects.ProjectVO;
import com.cloud.projects.dao.ProjectDao;

/** In-memory {@link ProjectDao}. */
public final class InMemoryProjectDao extends InMemoryDao<ProjectVO> implements ProjectDao {

    /** Creates an empty table. */
    public InMemoryProjectDao() {
        super(ProjectVO.class);
    }

    @Override
    public ProjectVO findByProjectAccountId(long projectAccountId) {
        return selectOne(p -> p.getProjectAccountId() == projectAccountId);
    }
}
