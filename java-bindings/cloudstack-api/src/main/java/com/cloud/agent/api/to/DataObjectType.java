package com.cloud.agent.api.to;

/** Stand-in for CloudStack's {@code DataObjectType}; object-store plug-ins only pass it through. */
public enum DataObjectType {
    /** A volume. */
    VOLUME,
    /** A snapshot. */
    SNAPSHOT,
    /** A template. */
    TEMPLATE,
    /** An archive. */
    ARCHIVE
}
