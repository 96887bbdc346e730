package com.cloud.agent.api;

/** Stand-in for CloudStack's agent {@code Answer}; only passed through by object-store plug-ins. */
public class Answer {
}
