package org.apache.cloudstack.api;

import java.io.Serializable;

/** Stand-in for CloudStack's {@code InternalIdentity}: an entity with a database id. */
public interface InternalIdentity extends Serializable {
    /** @return the database id */
    long getId();
}
