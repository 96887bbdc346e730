package com.cloud.agent.api.to;

import java.util.List;

/**
 * <b>Ahead of CloudStack</b> (apache/cloudstack PR #14170, not in a release): stand-in for a
 * bucket's dedicated credential as a driver returns it: the provider's id of the identity and
 * its initial keys. Part of the extension described by
 * {@link org.apache.cloudstack.storage.object.BucketCredentialsDriver}.
 */
public final class BucketCredentialTO {
    private final String providerCredentialId;
    private final List<BucketKeyTO> keys;

    /**
     * @param providerCredentialId the backend's id of the identity
     * @param keys its key pairs, the first one initial
     */
    public BucketCredentialTO(String providerCredentialId, List<BucketKeyTO> keys) {
        this.providerCredentialId = providerCredentialId;
        this.keys = List.copyOf(keys);
    }

    /** @return the backend's id of the identity */
    public String getProviderCredentialId() {
        return providerCredentialId;
    }

    /** @return its key pairs */
    public List<BucketKeyTO> getKeys() {
        return keys;
    }
}
