package com.cloud.domain;

/** Stand-in for CloudStack's {@code PartOf}: an entity that belongs to a domain. */
public interface PartOf {
    /** @return the domain's id */
    long getDomainId();
}
