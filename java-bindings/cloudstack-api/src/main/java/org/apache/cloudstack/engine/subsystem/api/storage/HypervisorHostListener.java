package org.apache.cloudstack.engine.subsystem.api.storage;

/** Stand-in for CloudStack's {@code HypervisorHostListener}; object-store providers return null. */
public interface HypervisorHostListener {
}
