package io.ecscloudstack.harness.dao;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Field-level access to CloudStack value objects, the way the persistence layer sees them:
 * columns are the instance fields, whatever their visibility, and some (id, created, removed)
 * have no setter. The in-memory DAOs store copies, so a caller's object never aliases a row.
 */
final class Rows {
    private Rows() {
    }

    /** @return every non-static, non-transient field of the class and its superclasses */
    static List<Field> columns(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isStatic(mod) && !Modifier.isTransient(mod)) {
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
        }
        return Collections.unmodifiableList(fields);
    }

    /** @return the named column of the type, or null */
    static Field column(Class<?> type, String name) {
        for (Field f : columns(type)) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** @return a new, empty instance built with the no-argument constructor of any visibility */
    static <T> T instantiate(Class<T> type) {
        try {
            Constructor<T> ctor = type.getDeclaredConstructor();
            ctor.setAccessible(true);
            return ctor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot instantiate " + type.getName(), e);
        }
    }

    /** @return a field-by-field copy of {@code row} */
    static <T> T copy(Class<T> type, T row) {
        T copy = instantiate(type);
        for (Field f : columns(type)) {
            set(f, copy, get(f, row));
        }
        return copy;
    }

    /** @return the column values of {@code row}, by field */
    static Map<Field, Object> values(Class<?> type, Object row) {
        Map<Field, Object> values = new LinkedHashMap<>();
        for (Field f : columns(type)) {
            values.put(f, get(f, row));
        }
        return values;
    }

    /**
     * Writes into {@code target} the columns of {@code source} that differ from
     * {@code loaded} (the values {@code source} had when it was read), or every column when
     * {@code loaded} is null: what CloudStack's {@code GenericDao.update} does with an entity's
     * dirty fields.
     */
    static void writeChanged(Class<?> type, Object source, Map<Field, Object> loaded, Object target) {
        for (Field f : columns(type)) {
            Object now = get(f, source);
            if (loaded == null || !Objects.equals(loaded.get(f), now)) {
                set(f, target, now);
            }
        }
    }

    static Object get(Field f, Object row) {
        try {
            return f.get(row);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }

    static void set(Field f, Object row, Object value) {
        try {
            f.set(row, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot write " + f, e);
        }
    }
}
