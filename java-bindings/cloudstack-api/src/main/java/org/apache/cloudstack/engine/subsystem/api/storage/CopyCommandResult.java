package org.apache.cloudstack.engine.subsystem.api.storage;

import com.cloud.agent.api.Answer;
import org.apache.cloudstack.storage.command.CommandResult;

/** Stand-in for CloudStack's {@code CopyCommandResult}. */
public class CopyCommandResult extends CommandResult {
    /**
     * @param path the copy's path
     * @param answer the agent's answer
     */
    public CopyCommandResult(String path, Answer answer) {
    }
}
