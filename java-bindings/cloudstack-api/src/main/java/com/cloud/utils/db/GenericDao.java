package com.cloud.utils.db;

import java.io.Serializable;
import java.util.List;

/**
 * Stand-in for the parts of CloudStack's {@code GenericDao} that plug-ins use.
 *
 * @param <T> the entity type
 * @param <ID> the id type (boxed)
 */
public interface GenericDao<T, ID extends Serializable> {
    /** Column marking a soft-deleted row. */
    String REMOVED_COLUMN = "removed";
    /** Column holding the creation time. */
    String CREATED_COLUMN = "created";
    /** Column holding the transaction id. */
    String XID_COLUMN = "xid";

    /**
     * @param id the row's id
     * @return the row, or null if absent or removed
     */
    T findById(ID id);

    /**
     * @param id the row's id
     * @return the row even if removed, or null
     */
    T findByIdIncludingRemoved(ID id);

    /**
     * @param id the row's id
     * @param fresh whether to bypass the cache
     * @return the row, or null
     */
    T findById(ID id, boolean fresh);

    /**
     * @param uuid the row's UUID
     * @return the row, or null if absent or removed
     */
    T findByUuid(String uuid);

    /**
     * @param uuid the row's UUID
     * @return the row even if removed, or null
     */
    T findByUuidIncludingRemoved(String uuid);

    /**
     * @param uuidArray UUIDs
     * @return the rows found
     */
    List<T> findByUuids(String... uuidArray);

    /**
     * @param entity a new entity
     * @return the persisted copy, with its id set
     */
    T persist(T entity);

    /**
     * @param id the row's id
     * @param entity the entity holding the new values
     * @return whether the row was updated
     */
    boolean update(ID id, T entity);

    /**
     * @param id the row's id
     * @return whether the row was (soft) removed
     */
    boolean remove(ID id);

    /**
     * @param id the row's id
     * @return whether the row was deleted
     */
    boolean expunge(ID id);

    /** @return all rows not removed */
    List<T> listAll();

    /** @return all rows */
    List<T> listAllIncludingRemoved();

    /** @return the number of rows */
    Integer countAll();
}
