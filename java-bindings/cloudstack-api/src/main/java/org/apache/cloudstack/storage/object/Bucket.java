package org.apache.cloudstack.storage.object;

import java.util.Date;

import org.apache.cloudstack.acl.ControlledEntity;
import org.apache.cloudstack.api.Identity;
import org.apache.cloudstack.api.InternalIdentity;

/** Stand-in for CloudStack's {@code Bucket} (api module, main). */
public interface Bucket extends ControlledEntity, Identity, InternalIdentity {
    /** Life-cycle state of a bucket row. */
    enum State {
        /** Row persisted by allocBucket, backend bucket not yet created. */
        Allocated,
        /** Backend bucket created. */
        Created,
        /** Bucket destroyed. */
        Destroyed;

        @Override
        public String toString() {
            return this.name();
        }

        /**
         * Compares with a state name, ignoring case.
         *
         * @param status a state name
         * @return whether {@code status} names this state
         */
        public boolean equals(String status) {
            return this.toString().equalsIgnoreCase(status);
        }
    }

    /** @return the id of the object store holding the bucket */
    long getObjectStoreId();

    /** @return when the row was created */
    Date getCreated();

    /** @return the row's state */
    State getState();

    /** @param name the bucket's name */
    void setName(String name);

    /** @return bytes used, as last reported by the usage task */
    Long getSize();

    /** @return the quota in GiB, or null */
    Integer getQuota();

    /** @return whether versioning was requested */
    boolean isVersioning();

    /** @return whether encryption was requested */
    boolean isEncryption();

    /** @return whether object lock was requested */
    boolean isObjectLock();

    /** @return the policy as sent to the API */
    String getPolicy();

    /** @return the bucket's URL */
    String getBucketURL();

    /** @return the access key to reach the bucket */
    String getAccessKey();

    /** @return the secret key to reach the bucket */
    String getSecretKey();
}
