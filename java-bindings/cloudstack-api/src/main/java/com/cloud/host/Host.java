package com.cloud.host;

/** Stand-in for CloudStack's {@code Host}; only passed through by object-store plug-ins. */
public interface Host {
}
