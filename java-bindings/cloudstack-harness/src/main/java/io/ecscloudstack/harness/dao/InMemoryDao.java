package io.ecscloudstack.harness.dao;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.cloud.utils.db.GenericDao;

/**
 * An in-memory, thread-safe {@link GenericDao} that behaves like CloudStack's where drivers can
 * tell the difference:
 * <ul>
 *   <li>rows are stored as copies: changing an object changes nothing until {@code update};</li>
 *   <li>{@code persist} assigns the id (and {@code created} when the type has it);</li>
 *   <li>{@code update(id, entity)} writes only the columns changed since the entity was read
 *       from this DAO (every column for an entity that was not), like CloudStack's dirty-field
 *       tracking;</li>
 *   <li>{@code remove} is a soft delete for types with a {@code removed} column: such rows are
 *       invisible to {@code findById} and {@code listAll}.</li>
 * </ul>
 * Once {@link #shareThrough shared}, the rows live in a file that other processes (other
 * management servers of the cluster) share, and every call is one transaction over it.
 *
 * @param <T> the value-object type
 */
public abstract class InMemoryDao<T> implements GenericDao<T, Long> {
    private final Class<T> type;
    private final Field id;
    private final Field uuid;
    private final Field created;
    private final Field removed;
    private final TreeMap<Long, T> rows = new TreeMap<>();
    /**
     * Column values of each entity handed out, to find what its holder changed (value objects
     * keep Object's identity equality, so a weak map is an identity map here).
     */
    private final Map<Object, Map<Field, Object>> loaded = Collections.synchronizedMap(new WeakHashMap<>());
    private long nextId = 1;
    /** The file the rows live in when several processes share them, else null. */
    private volatile SharedTable shared;

    /** @param type the value-object type; it must have a {@code long id} column */
    protected InMemoryDao(Class<T> type) {
        this.type = type;
        this.id = Objects.requireNonNull(Rows.column(type, "id"), "no id column in " + type);
        this.uuid = Rows.column(type, "uuid");
        this.created = Rows.column(type, "created");
        this.removed = Rows.column(type, "removed");
    }

    /** @return the value-object type */
    protected final Class<T> type() {
        return this.type;
    }

    /**
     * @param filter a condition on stored rows
     * @return copies of the matching rows that are not removed, by id
     */
    protected final synchronized List<T> select(Predicate<T> filter) {
        return atomically(false, () -> {
            List<T> out = new ArrayList<>();
            for (T row : rows.values()) {
                if (!isRemoved(row) && filter.test(row)) {
                    out.add(handOut(row));
                }
            }
            return out;
        });
    }

    /**
     * @param filter a condition on stored rows
     * @return a copy of the first matching row that is not removed, or null
     */
    protected final T selectOne(Predicate<T> filter) {
        List<T> found = select(filter);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * @param filter a condition on stored rows
     * @return the number of rows deleted for good
     */
    protected final synchronized int expungeWhere(Predicate<T> filter) {
        return atomically(true, () -> {
            int before = rows.size();
            rows.values().removeIf(filter);
            return before - rows.size();
        });
    }

    /**
     * Runs a compound call (several calls of this DAO) as one transaction, as CloudStack's DAOs
     * do with an explicit transaction; without sharing, the caller's lock on this DAO suffices.
     *
     * @param body the calls
     * @param <R> the result type
     * @return the body's result
     */
    protected final synchronized <R> R inTransaction(Supplier<R> body) {
        return atomically(true, body);
    }

    private <R> R atomically(boolean mayWrite, Supplier<R> body) {
        SharedTable table = shared;
        return table == null ? body.get() : table.transaction(mayWrite, body);
    }

    /**
     * Keeps this table in {@code file} from now on, shared with every process (or DAO) that
     * shares the same file: an existing file's rows replace this DAO's; a new file takes them.
     * Each call then runs as one transaction over the file (see {@link SharedTable}).
     *
     * @param file the table's file
     * @throws IllegalStateException if the table is shared already
     * @throws java.io.UncheckedIOException if the file cannot be used
     */
    public final synchronized void shareThrough(Path file) {
        if (shared != null) {
            throw new IllegalStateException(type.getSimpleName() + " rows are shared already");
        }
        shared = new SharedTable(file, this::exportRows, this::loadRows);
    }

    private SharedTable.State exportRows() {
        return new SharedTable.State(nextId, SharedTable.export(type, rows.values()));
    }

    private void loadRows(SharedTable.State state) {
        rows.clear();
        for (Map<String, Object> stored : state.rows()) {
            T row = SharedTable.row(type, stored);
            rows.put(idOf(row), row);
        }
        nextId = state.nextId();
    }

    private T handOut(T row) {
        T copy = Rows.copy(type, row);
        loaded.put(copy, Rows.values(type, copy));
        return copy;
    }

    private boolean isRemoved(T row) {
        return removed != null && Rows.get(removed, row) != null;
    }

    private long idOf(T row) {
        return (Long) Rows.get(id, row);
    }

    @Override
    public synchronized T findById(Long key) {
        return atomically(false, () -> {
            T row = rows.get(key);
            return row == null || isRemoved(row) ? null : handOut(row);
        });
    }

    @Override
    public synchronized T findByIdIncludingRemoved(Long key) {
        return atomically(false, () -> {
            T row = rows.get(key);
            return row == null ? null : handOut(row);
        });
    }

    @Override
    public T findById(Long key, boolean fresh) {
        return findById(key);
    }

    @Override
    public T findByUuid(String value) {
        return uuid == null ? null : selectOne(row -> Objects.equals(Rows.get(uuid, row), value));
    }

    @Override
    public synchronized T findByUuidIncludingRemoved(String value) {
        if (uuid == null) {
            return null;
        }
        return atomically(false, () -> {
            for (T row : rows.values()) {
                if (Objects.equals(Rows.get(uuid, row), value)) {
                    return handOut(row);
                }
            }
            return null;
        });
    }

    @Override
    public List<T> findByUuids(String... uuidArray) {
        List<String> wanted = Arrays.asList(uuidArray);
        return uuid == null ? List.of() : select(row -> wanted.contains(Rows.get(uuid, row)));
    }

    @Override
    public synchronized T persist(T entity) {
        return atomically(true, () -> {
            T row = Rows.copy(type, entity);
            long key = nextId++;
            Rows.set(id, row, key);
            if (created != null && Rows.get(created, row) == null) {
                Rows.set(created, row, new Date());
            }
            rows.put(key, row);
            return handOut(row);
        });
    }

    @Override
    public synchronized boolean update(Long key, T entity) {
        return atomically(true, () -> {
            T row = rows.get(key);
            if (row == null || isRemoved(row)) {
                return false;
            }
            Rows.writeChanged(type, entity, loaded.get(entity), row);
            Rows.set(id, row, key);
            loaded.put(entity, Rows.values(type, entity));
            return true;
        });
    }

    @Override
    public synchronized boolean remove(Long key) {
        return atomically(true, () -> {
            T row = rows.get(key);
            if (row == null || isRemoved(row)) {
                return false;
            }
            if (removed == null) {
                rows.remove(key);
            } else {
                Rows.set(removed, row, new Date());
            }
            return true;
        });
    }

    @Override
    public synchronized boolean expunge(Long key) {
        return atomically(true, () -> rows.remove(key) != null);
    }

    @Override
    public List<T> listAll() {
        return select(row -> true);
    }

    @Override
    public synchronized List<T> listAllIncludingRemoved() {
        return atomically(false, () -> {
            List<T> out = new ArrayList<>();
            for (T row : rows.values()) {
                out.add(handOut(row));
            }
            return out;
        });
    }

    @Override
    public synchronized Integer countAll() {
        return select(row -> true).size();
    }

    /** @return the id of a row handed out by this DAO */
    protected final long id(T row) {
        return idOf(row);
    }
}
