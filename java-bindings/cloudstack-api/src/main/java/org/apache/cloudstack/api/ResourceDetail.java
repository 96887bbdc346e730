package org.apache.cloudstack.api;

/** Stand-in for CloudStack's {@code ResourceDetail}: one name/value detail of a resource. */
public interface ResourceDetail extends InternalIdentity {
    /** @return the id of the resource the detail belongs to */
    long getResourceId();

    /** @return the detail's name */
    String getName();

    /** @return the detail's value */
    String getValue();

    /** @return whether the detail is shown to users */
    boolean isDisplay();
}
