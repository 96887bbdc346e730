package org.apache.cloudstack.acl;

import com.cloud.domain.PartOf;
import com.cloud.user.OwnedBy;

/** Stand-in for CloudStack's {@code ControlledEntity}: an owned, access-controlled entity. */
public interface ControlledEntity extends OwnedBy, PartOf {
    /** Whether access is granted per account or per domain. */
    enum ACLType {
        /** Access per account. */
        Account,
        /** Access per domain. */
        Domain
    }

    /** @return the interface the entity is checked as */
    Class<?> getEntityType();

    /** @return the entity's name */
    String getName();
}
