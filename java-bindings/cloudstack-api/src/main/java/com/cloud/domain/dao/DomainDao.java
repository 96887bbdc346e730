package com.cloud.domain.dao;

import com.cloud.domain.DomainVO;
import com.cloud.utils.db.GenericDao;

/** Stand-in for CloudStack's {@code DomainDao} (the methods plug-ins and the harness use). */
public interface DomainDao extends GenericDao<DomainVO, Long> {
    /**
     * @param domainPath a path such as {@code /sales/}
     * @return the domain, or null
     */
    DomainVO findDomainByPath(String domainPath);
}
