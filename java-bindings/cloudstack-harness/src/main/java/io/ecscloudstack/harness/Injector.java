package io.ecscloudstack.harness;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

/**
 * Plays Spring's part for {@code @Inject} fields: each one gets the registered component whose
 * type fits. A field nothing fits is an error, as it is for Spring at start-up.
 */
final class Injector {
    private final List<Object> components = new ArrayList<>();

    /** @param component an object to offer to {@code @Inject} fields */
    void register(Object component) {
        components.add(component);
    }

    /**
     * Fills every {@code @Inject} field of {@code target} and its superclasses.
     *
     * @param target the object to wire
     * @throws IllegalStateException if a field has no component of a fitting type
     */
    void inject(Object target) {
        for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(Inject.class)) {
                    set(target, f, componentFor(f));
                }
            }
        }
    }

    private Object componentFor(Field f) {
        for (Object component : components) {
            if (f.getType().isInstance(component)) {
                return component;
            }
        }
        throw new IllegalStateException("no component for @Inject " + f.getDeclaringClass().getName() + "."
                + f.getName() + " of type " + f.getType().getName());
    }

    private static void set(Object target, Field f, Object value) {
        try {
            f.setAccessible(true);
            f.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot inject " + f, e);
        }
    }
}
