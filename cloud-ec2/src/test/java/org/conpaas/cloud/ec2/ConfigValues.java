package org.conpaas.cloud.ec2;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/** An {@link Ec2CloudConfig} as DS would make it from a .cfg file: the given values, the rest their defaults. */
final class ConfigValues {

    private ConfigValues() {
    }

    static Ec2CloudConfig of(Map<String, String> values) {
        return (Ec2CloudConfig) Proxy.newProxyInstance(Ec2CloudConfig.class.getClassLoader(),
                new Class<?>[] {Ec2CloudConfig.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class || method.getName().equals("annotationType")) {
                        return method.getName().equals("annotationType") ? Ec2CloudConfig.class
                                : method.getName().equals("toString") ? "Ec2CloudConfig" : null;
                    }
                    String value = values.get(method.getName());
                    return value == null ? method.getDefaultValue() : convert(method, value);
                });
    }

    private static Object convert(Method method, String value) {
        Class<?> type = method.getReturnType();
        if (type == String.class) {
            return value;
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(value);
        }
        if (type == int.class) {
            return Integer.parseInt(value);
        }
        String[] parts = value.isEmpty() ? new String[0] : value.split(",");
        if (type == String[].class) {
            return parts;
        }
        Object ints = Array.newInstance(int.class, parts.length);
        for (int i = 0; i < parts.length; i++) {
            Array.setInt(ints, i, Integer.parseInt(parts[i].trim()));
        }
        return ints;
    }
}
