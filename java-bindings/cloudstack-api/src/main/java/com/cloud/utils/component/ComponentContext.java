package com.cloud.utils.component;

import java.lang.reflect.InvocationTargetException;

/**
 * Stand-in for CloudStack's {@code ComponentContext}. The real one instantiates a class and
 * autowires its {@code @Inject} fields from the Spring context; this one only instantiates, so
 * whoever plays CloudStack (a test harness) injects the fields afterwards.
 */
public final class ComponentContext {
    private ComponentContext() {
    }

    /**
     * @param clz a class with a public no-argument constructor
     * @param <T> the class's type
     * @return a new instance
     */
    public static <T> T inject(Class<T> clz) {
        try {
            return clz.getDeclaredConstructor().newInstance();
        } catch (InstantiationException | IllegalAccessException | NoSuchMethodException
                | InvocationTargetException e) {
            throw new IllegalStateException("cannot instantiate " + clz.getName(), e);
        }
    }

    /**
     * @param instance an existing object
     * @param <T> the expected type
     * @return the same object
     */
    @SuppressWarnings("unchecked")
    public static <T> T inject(Object instance) {
        return (T) instance;
    }
}
