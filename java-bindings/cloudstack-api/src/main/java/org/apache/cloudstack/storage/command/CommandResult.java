package org.apache.cloudstack.storage.command;

/** Stand-in for CloudStack's {@code CommandResult}; only passed through by object-store plug-ins. */
public class CommandResult {
}
