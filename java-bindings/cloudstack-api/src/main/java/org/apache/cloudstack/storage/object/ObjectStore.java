package org.apache.cloudstack.storage.object;

import org.apache.cloudstack.api.Identity;
import org.apache.cloudstack.api.InternalIdentity;

/** Stand-in for CloudStack's {@code ObjectStore} (api module, main). */
public interface ObjectStore extends Identity, InternalIdentity {
    /** @return the store's name */
    String getName();

    /** @return the provider's name */
    String getProviderName();

    /** @return the store's URL */
    String getUrl();
}
