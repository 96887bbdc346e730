package com.cloud.agent.api.to;

/** Stand-in for CloudStack's {@code DataTO}; object-store plug-ins never use its members. */
public interface DataTO {
}
