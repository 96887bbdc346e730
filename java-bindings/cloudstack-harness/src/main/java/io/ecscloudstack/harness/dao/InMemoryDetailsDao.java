package io.ecscloudstack.harness.dao;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.cloudstack.api.ResourceDetail;
import org.apache.cloudstack.resourcedetail.ResourceDetailsDao;

/**
 * The {@link ResourceDetailsDao} part shared by the account- and store-details DAOs.
 *
 * @param <R> the detail type
 */
public abstract class InMemoryDetailsDao<R extends ResourceDetail> extends InMemoryDao<R>
        implements ResourceDetailsDao<R> {

    /** @param type the detail type */
    protected InMemoryDetailsDao(Class<R> type) {
        super(type);
    }

    /**
     * @param resourceId the resource
     * @param name the detail's name
     * @param value the detail's value
     * @return a new, unpersisted detail
     */
    protected abstract R newDetail(long resourceId, String name, String value);

    /**
     * @param resourceId the resource
     * @return its details as name to value, in insertion order
     */
    protected final Map<String, String> detailMap(long resourceId) {
        Map<String, String> out = new LinkedHashMap<>();
        for (R d : listDetails(resourceId)) {
            out.put(d.getName(), d.getValue());
        }
        return out;
    }

    /**
     * Replaces every detail of the resource with {@code details}, atomically.
     *
     * @param resourceId the resource
     * @param details the complete new set, or null for none
     */
    protected final synchronized void replaceAll(long resourceId, Map<String, String> details) {
        inTransaction(() -> {
            removeDetails(resourceId);
            if (details != null) {
                details.forEach((k, v) -> persist(newDetail(resourceId, k, v)));
            }
            return null;
        });
    }

    @Override
    public R findDetail(long resourceId, String name) {
        return selectOne(d -> d.getResourceId() == resourceId && Objects.equals(d.getName(), name));
    }

    @Override
    public List<R> findDetails(long resourceId, String key) {
        return select(d -> d.getResourceId() == resourceId && Objects.equals(d.getName(), key));
    }

    @Override
    public void removeDetail(long resourceId, String key) {
        expungeWhere(d -> d.getResourceId() == resourceId && Objects.equals(d.getName(), key));
    }

    @Override
    public void removeDetails(long resourceId) {
        expungeWhere(d -> d.getResourceId() == resourceId);
    }

    @Override
    public List<R> listDetails(long resourceId) {
        return select(d -> d.getResourceId() == resourceId);
    }

    @Override
    public Map<String, String> listDetailsKeyPairs(long resourceId) {
        return detailMap(resourceId);
    }

    @Override
    public synchronized void addDetail(long resourceId, String key, String value, boolean display) {
        inTransaction(() -> {
            removeDetail(resourceId, key);
            return persist(newDetail(resourceId, key, value));
        });
    }

    /** No detail is an encrypted configuration value here: the value as stored. */
    @Override
    public String getActualValue(ResourceDetail resourceDetail) {
        return resourceDetail.getValue();
    }
}
