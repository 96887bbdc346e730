package org.apache.cloudstack.engine.subsystem.api.storage;

import java.util.Map;

import com.cloud.agent.api.to.DataStoreTO;
import com.cloud.agent.api.to.DataTO;
import com.cloud.host.Host;
import org.apache.cloudstack.framework.async.AsyncCompletionCallback;
import org.apache.cloudstack.storage.command.CommandResult;

/** Stand-in for CloudStack's {@code DataStoreDriver}: exactly its methods. */
public interface DataStoreDriver {
    /** @return the driver's capabilities */
    Map<String, String> getCapabilities();

    /**
     * @param data a data object
     * @return its transfer object
     */
    DataTO getTO(DataObject data);

    /**
     * @param store a store
     * @return its transfer object
     */
    DataStoreTO getStoreTO(DataStore store);

    /**
     * @param store the store
     * @param data the object to create
     * @param callback completed with the result
     */
    void createAsync(DataStore store, DataObject data, AsyncCompletionCallback<CreateCmdResult> callback);

    /**
     * @param store the store
     * @param data the object to delete
     * @param callback completed with the result
     */
    void deleteAsync(DataStore store, DataObject data, AsyncCompletionCallback<CommandResult> callback);

    /**
     * @param srcData the source
     * @param destData the destination
     * @param callback completed with the result
     */
    void copyAsync(DataObject srcData, DataObject destData, AsyncCompletionCallback<CopyCommandResult> callback);

    /**
     * @param srcData the source
     * @param destData the destination
     * @param destHost the host to copy through
     * @param callback completed with the result
     */
    void copyAsync(DataObject srcData, DataObject destData, Host destHost,
            AsyncCompletionCallback<CopyCommandResult> callback);

    /**
     * @param srcData the source
     * @param destData the destination
     * @return whether this driver can copy between them
     */
    boolean canCopy(DataObject srcData, DataObject destData);

    /**
     * @param data the object to resize
     * @param callback completed with the result
     */
    void resize(DataObject data, AsyncCompletionCallback<CreateCmdResult> callback);
}
