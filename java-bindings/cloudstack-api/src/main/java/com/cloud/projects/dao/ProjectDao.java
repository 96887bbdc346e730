package com.cloud.projects.dao;

import com.cloud.projects.ProjectVO;
import com.cloud.utils.db.GenericDao;

/** Stand-in for CloudStack's {@code ProjectDao} (the methods plug-ins and the harness use). */
public interface ProjectDao extends GenericDao<ProjectVO, Long> {
    /**
     * @param projectAccountId an account
     * @return the project whose account it is, or null (not a project's account)
     */
    ProjectVO findByProjectAccountId(long projectAccountId);
}
