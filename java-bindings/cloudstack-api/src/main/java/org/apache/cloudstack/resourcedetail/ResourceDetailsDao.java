package org.apache.cloudstack.resourcedetail;

import java.util.List;
import java.util.Map;

import com.cloud.utils.db.GenericDao;
import org.apache.cloudstack.api.ResourceDetail;

/**
 * Stand-in for CloudStack's {@code ResourceDetailsDao} (the methods plug-ins use).
 *
 * @param <R> the detail type
 */
public interface ResourceDetailsDao<R extends ResourceDetail> extends GenericDao<R, Long> {
    /**
     * @param resourceId the resource
     * @param name the detail's name
     * @return the detail, or null
     */
    R findDetail(long resourceId, String name);

    /**
     * @param resourceId the resource
     * @param key the detail's name
     * @return the matching details
     */
    List<R> findDetails(long resourceId, String key);

    /**
     * @param resourceId the resource
     * @param key the detail's name
     */
    void removeDetail(long resourceId, String key);

    /** @param resourceId the resource whose details are all removed */
    void removeDetails(long resourceId);

    /**
     * @param resourceId the resource
     * @return its details
     */
    List<R> listDetails(long resourceId);

    /**
     * @param resourceId the resource
     * @return its details as name to value
     */
    Map<String, String> listDetailsKeyPairs(long resourceId);

    /**
     * Upserts one detail.
     *
     * @param resourceId the resource
     * @param key the detail's name
     * @param value the detail's value
     * @param display whether users see it
     */
    void addDetail(long resourceId, String key, String value, boolean display);

    /**
     * Declared here, not in {@code AccountDetailsDao}, as in CloudStack main (so a call through
     * {@code AccountDetailsDao} links against {@code getActualValue(ResourceDetail)}).
     *
     * @param resourceDetail a detail
     * @return its value, decrypted if it is an encrypted configuration value
     */
    String getActualValue(ResourceDetail resourceDetail);
}
