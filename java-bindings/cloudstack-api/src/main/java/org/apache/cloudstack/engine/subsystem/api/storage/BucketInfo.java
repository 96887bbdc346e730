package org.apache.cloudstack.engine.subsystem.api.storage;

import org.apache.cloudstack.storage.object.Bucket;

/** Stand-in for CloudStack's {@code BucketInfo}. */
public interface BucketInfo extends DataObject, Bucket {
    /** @param data a payload */
    void addPayload(Object data);

    /** @return the payload */
    Object getPayload();

    /** @return the bucket */
    Bucket getBucket();
}
