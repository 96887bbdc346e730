package io.ecscloudstack.harness.dao;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One CloudStack table kept in a file that several processes share, the way several management
 * servers share one MySQL database: every DAO call is one transaction over the table.
 *
 * <p><b>Why a file lock and not a SQL database.</b> What two management servers can observe of
 * each other through CloudStack's database is this: each DAO call (autocommit, or one explicit
 * transaction for a compound call such as {@code AccountDetailsDao.update}) is atomic, its effect
 * is seen by every later call on any server, and ids are unique across servers. An exclusive lock
 * over the table's file for the length of the call gives exactly that, with serializable
 * isolation (coarser than InnoDB's row locks, which can only serialize more, never less), and the
 * rows keep the in-memory DAOs' semantics (copies handed out, dirty-column updates, soft deletes)
 * that every other harness test relies on. No embedded SQL database is in Debian's Maven
 * repository the build resolves from (H2, HSQLDB or Derby would be a new system package), and a
 * SQL database would need a second implementation of every DAO.
 *
 * <p>How: at the start of the outermost call the table is read again if another process wrote it
 * since (a generation number heads the file); a call that may write saves the table before the
 * lock is released; a call that throws saves nothing, and the table is read again next time
 * (a rollback). Threads of one process are ordered by a {@link ReentrantLock} per file before
 * they take the {@link FileLock}, which Java holds per process. Nested calls (a compound method
 * calling simple ones) join the outer transaction.
 */
final class SharedTable {
    /** One lock per file in this process: a FileLock may be held once per process. */
    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final ReentrantLock lock;
    private final Supplier<State> export;
    private final Consumer<State> load;
    /** Guarded by {@link #lock}. */
    private int depth;
    private boolean writes;
    private FileLock held;
    /** The generation this process last read or wrote; -1 forces a read. */
    private long seen = -1;

    /**
     * What a table holds, as it is stored: the next id and each row's columns by name.
     *
     * @param nextId the id the next {@code persist} takes
     * @param rows every row, removed ones included, in id order
     */
    record State(long nextId, List<Map<String, Object>> rows) implements Serializable {
    }

    /**
     * Opens the table's file, creating it when it does not exist; a new file gets the rows
     * {@code export} gives, an existing one replaces them through {@code load}.
     *
     * @param file the table's file
     * @param export the rows the DAO holds now
     * @param load replaces the DAO's rows
     * @throws UncheckedIOException if the file cannot be opened, read or written
     */
    SharedTable(Path file, Supplier<State> export, Consumer<State> load) {
        this.file = file.toAbsolutePath().normalize();
        this.export = export;
        this.load = load;
        this.lock = LOCKS.computeIfAbsent(this.file, f -> new ReentrantLock());
        try {
            this.channel = FileChannel.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the shared table " + this.file, e);
        }
        transaction(true, () -> null);
    }

    /**
     * Runs {@code body} as one transaction over the table.
     *
     * @param mayWrite whether {@code body} may change rows (the table is saved afterwards)
     * @param body the DAO call
     * @param <R> its result type
     * @return its result
     */
    <R> R transaction(boolean mayWrite, Supplier<R> body) {
        lock.lock();
        try {
            if (depth == 0) {
                begin();
            }
            depth++;
            writes |= mayWrite;
            boolean committed = false;
            try {
                R result = body.get();
                committed = true;
                return result;
            } finally {
                depth--;
                if (depth == 0) {
                    end(committed);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void begin() {
        try {
            held = channel.lock();
            ByteBuffer head = ByteBuffer.allocate(Long.BYTES);
            channel.read(head, 0);
            if (head.position() < Long.BYTES) {
                // A new file: it takes what the DAO holds.
                seen = 0;
                writes = true;
                return;
            }
            long generation = head.flip().getLong();
            if (generation != seen) {
                load.accept(read());
                seen = generation;
            }
        } catch (IOException e) {
            releaseQuietly();
            throw new UncheckedIOException("cannot read the shared table " + file, e);
        }
    }

    private void end(boolean committed) {
        try {
            if (!committed) {
                seen = -1;
            } else if (writes) {
                write(seen + 1);
                seen++;
            }
        } catch (IOException e) {
            seen = -1;
            throw new UncheckedIOException("cannot write the shared table " + file, e);
        } finally {
            writes = false;
            releaseQuietly();
        }
    }

    private State read() throws IOException {
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(channel.size() - Long.BYTES));
        while (all.hasRemaining() && channel.read(all, Long.BYTES + all.position()) >= 0) {
            // Read until the buffer is full.
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(all.array()))) {
            return (State) in.readObject();
        } catch (ClassNotFoundException | ClassCastException e) {
            throw new IOException("the shared table " + file + " holds something else", e);
        }
    }

    private void write(long generation) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(ByteBuffer.allocate(Long.BYTES).putLong(generation).array());
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(export.get());
        }
        ByteBuffer data = ByteBuffer.wrap(bytes.toByteArray());
        channel.truncate(0);
        while (data.hasRemaining()) {
            channel.write(data, data.position());
        }
    }

    private void releaseQuietly() {
        if (held != null) {
            try {
                held.release();
            } catch (IOException e) {
                // Closing the channel would release it; the lock is gone with the process anyway.
            }
            held = null;
        }
    }

    /** @return the rows' columns by name, for {@link State} */
    static List<Map<String, Object>> export(Class<?> type, Iterable<?> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object row : rows) {
            Map<String, Object> columns = new LinkedHashMap<>();
            Rows.values(type, row).forEach((field, value) -> columns.put(field.getName(), value));
            out.add(columns);
        }
        return out;
    }

    /** @return a row of {@code type} with the columns of {@code stored} */
    static <T> T row(Class<T> type, Map<String, Object> stored) {
        T row = Rows.instantiate(type);
        for (Field f : Rows.columns(type)) {
            Rows.set(f, row, stored.get(f.getName()));
        }
        return row;
    }
}
