package org.conpaas.core.internal.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A typed configuration (a DS component property type) as SCR makes it: the given values, the annotation's defaults
 * for the rest. Lets a test hand a component the configuration of an edited .cfg file.
 */
public final class AnnotationConfigs {

    private AnnotationConfigs() {
    }

    public static <A> A of(Class<A> type, Map<String, Object> values) {
        for (String name : values.keySet()) {
            try {
                type.getMethod(name);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no attribute " + name, e);
            }
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer(type, values, method)));
    }

    private static Object answer(Class<?> type, Map<String, Object> values, Method method) {
        return switch (method.getName()) {
            case "annotationType" -> type;
            case "toString" -> type.getSimpleName() + values;
            case "hashCode" -> values.hashCode();
            case "equals" -> false;
            default -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue();
        };
    }
}
