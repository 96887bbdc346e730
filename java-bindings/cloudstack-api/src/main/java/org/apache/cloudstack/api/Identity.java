package org.apache.cloudstack.api;

/** Stand-in for CloudStack's {@code Identity}: an entity with a public UUID. */
public interface Identity {
    /** @return the public UUID */
    String getUuid();
}
