package org.apache.cloudstack.engine.subsystem.api.storage;

import com.cloud.agent.api.Answer;
import org.apache.cloudstack.storage.command.CommandResult;

/** Stand-in for CloudStack's {@code CreateCmdResult}. */
public class CreateCmdResult extends CommandResult {
    /**
     * @param path the created object's path
     * @param answer the agent's answer
     */
    public CreateCmdResult(String path, Answer answer) {
    }
}
