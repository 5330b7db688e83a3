package org.conpaas.core.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.HttpMethod;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.apache.cxf.jaxrs.ext.multipart.MultipartBody;

/**
 * Generates an OpenAPI 3 document from JAX-RS resource classes by reflection: paths and methods from
 * {@code @Path} and the HTTP method annotations, parameters from {@code @PathParam}/{@code @QueryParam}, media
 * types from {@code @Consumes}/{@code @Produces}, schemas from the records the methods take and return, and
 * summaries and success statuses from {@link ApiDoc}.
 */
public final class OpenApiGenerator {

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*(:[^}]*)?}");
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    private final Map<String, Object> schemas = new TreeMap<>();

    public static Map<String, Object> generate(String title, String version, String basePath,
            List<Class<?>> resources) {
        return new OpenApiGenerator().document(title, version, basePath, resources);
    }

    private Map<String, Object> document(String title, String version, String basePath, List<Class<?>> resources) {
        Map<String, Object> paths = new TreeMap<>();
        for (Class<?> resource : resources) {
            String classPath = pathOf(resource.getAnnotation(javax.ws.rs.Path.class));
            Method[] methods = resource.getMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method method : methods) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue;
                }
                String path = join(classPath, pathOf(method.getAnnotation(javax.ws.rs.Path.class)));
                @SuppressWarnings("unchecked")
                Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(path,
                        p -> new LinkedHashMap<String, Object>());
                Map<String, Object> operation = operation(resource, method, path);
                if (item.containsKey(httpMethod)) {
                    mergeAlternativeBody(item, httpMethod, operation);
                } else {
                    item.put(httpMethod, operation);
                }
            }
        }
        schemas.put("Problem", problemSchema());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", title, "version", version));
        doc.put("servers", List.of(Map.of("url", basePath)));
        doc.put("paths", paths);
        doc.put("components", Map.of("schemas", schemas));
        return doc;
    }

    /** Two Java methods for one path and HTTP method differ by media type: one operation, two request bodies. */
    @SuppressWarnings("unchecked")
    private static void mergeAlternativeBody(Map<String, Object> item, String httpMethod, Map<String, Object> other) {
        Map<String, Object> existing = (Map<String, Object>) item.get(httpMethod);
        Map<String, Object> body = (Map<String, Object>) existing.get("requestBody");
        Map<String, Object> otherBody = (Map<String, Object>) other.get("requestBody");
        if (body != null && otherBody != null) {
            ((Map<String, Object>) body.get("content")).putAll((Map<String, Object>) otherBody.get("content"));
        }
    }

    private Map<String, Object> operation(Class<?> resource, Method method, String path) {
        ApiDoc doc = method.getAnnotation(ApiDoc.class);
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("operationId", operationId(resource, method));
        if (doc != null) {
            operation.put("summary", doc.value());
        }
        operation.put("tags", List.of(tag(resource)));
        List<Object> parameters = new ArrayList<>();
        Set<String> declared = new LinkedHashSet<>();
        Parameter body = null;
        for (Parameter parameter : method.getParameters()) {
            PathParam pathParam = parameter.getAnnotation(PathParam.class);
            QueryParam queryParam = parameter.getAnnotation(QueryParam.class);
            HeaderParam headerParam = parameter.getAnnotation(HeaderParam.class);
            CookieParam cookieParam = parameter.getAnnotation(CookieParam.class);
            if (pathParam != null) {
                declared.add(pathParam.value());
                parameters.add(parameter(pathParam.value(), "path", true, parameter.getParameterizedType()));
            } else if (queryParam != null) {
                parameters.add(parameter(queryParam.value(), "query", false, queryType(queryParam.value(),
                        parameter.getParameterizedType())));
            } else if (headerParam != null) {
                parameters.add(parameter(headerParam.value(), "header", false, parameter.getParameterizedType()));
            } else if (cookieParam != null) {
                parameters.add(parameter(cookieParam.value(), "cookie", false, parameter.getParameterizedType()));
            } else if (parameter.getAnnotation(Context.class) == null
                    && parameter.getAnnotation(Suspended.class) == null) {
                body = parameter;
            }
        }
        Matcher templates = TEMPLATE.matcher(path);
        while (templates.find()) {
            if (declared.add(templates.group(1))) {
                parameters.add(parameter(templates.group(1), "path", true, String.class));
            }
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        if (doc != null && doc.body() != Void.class) {
            operation.put("requestBody", Map.of("required", false, "content",
                    Map.of(MediaType.APPLICATION_JSON, Map.of("schema", schema(doc.body())))));
        } else if (body != null) {
            Map<String, Object> content = new LinkedHashMap<>();
            for (String mediaType : mediaTypes(method.getAnnotation(Consumes.class),
                    resource.getAnnotation(Consumes.class))) {
                content.put(mediaType, Map.of("schema", body.getType() == MultipartBody.class
                        || body.getType() == java.io.InputStream.class
                        ? Map.of("type", "object") : schema(body.getParameterizedType())));
            }
            operation.put("requestBody", Map.of("content", content));
        }
        operation.put("responses", responses(resource, method, doc));
        return operation;
    }

    private Map<String, Object> responses(Class<?> resource, Method method, ApiDoc doc) {
        Map<String, Object> responses = new LinkedHashMap<>();
        int status = doc == null ? 200 : doc.status();
        Map<String, Object> success = new LinkedHashMap<>();
        success.put("description", doc == null ? "success" : doc.value());
        // an asynchronous method answers through its AsyncResponse: like a Response, its body type is in ApiDoc
        Type returned = isAsynchronous(method) ? Response.class : method.getGenericReturnType();
        if (returned == Response.class && doc != null && doc.returns() != Void.class) {
            Map<String, Object> element = schema(doc.returns());
            returned = null;
            Map<String, Object> schema = doc.list() ? Map.of("type", "array", "items", element) : element;
            success.put("content", content(resource, method, schema));
        } else if (returned != void.class && returned != Void.class && returned != Response.class) {
            success.put("content", content(resource, method, schema(returned)));
        }
        responses.put(String.valueOf(status), success);
        responses.put("default", Map.of("description", "an error, as RFC 7807 problem details",
                "content", Map.of(Problems.MEDIA_TYPE, Map.of("schema", Map.of("$ref", PROBLEM_REF)))));
        return responses;
    }

    private static boolean isAsynchronous(Method method) {
        return Arrays.stream(method.getParameters()).anyMatch(p -> p.isAnnotationPresent(Suspended.class));
    }

    private static Map<String, Object> content(Class<?> resource, Method method, Map<String, Object> schema) {
        Map<String, Object> content = new LinkedHashMap<>();
        for (String mediaType : mediaTypes(method.getAnnotation(Produces.class),
                resource.getAnnotation(Produces.class))) {
            content.put(mediaType, Map.of("schema",
                    mediaType.startsWith("text/") ? Map.of("type", "string") : schema));
        }
        return content;
    }

    private static List<String> mediaTypes(Annotation onMethod, Annotation onClass) {
        Annotation chosen = onMethod != null ? onMethod : onClass;
        if (chosen instanceof Consumes consumes) {
            return List.of(consumes.value());
        }
        if (chosen instanceof Produces produces) {
            return List.of(produces.value());
        }
        return List.of(MediaType.APPLICATION_JSON);
    }

    private static Map<String, Object> parameter(String name, String in, boolean required, Type type) {
        Map<String, Object> parameter = new LinkedHashMap<>();
        parameter.put("name", name);
        parameter.put("in", in);
        parameter.put("required", required);
        parameter.put("schema", scalar(type));
        return parameter;
    }

    /** Numeric query parameters are read as text to answer 400 rather than 404; document them as numbers. */
    private static Type queryType(String name, Type declared) {
        return name.equals("wait") || name.equals("tail") ? Integer.class : declared;
    }

    private static Map<String, Object> scalar(Type type) {
        if (type == Integer.class || type == int.class) {
            return Map.of("type", "integer", "format", "int32");
        }
        if (type == Long.class || type == long.class) {
            return Map.of("type", "integer", "format", "int64");
        }
        if (type == Boolean.class || type == boolean.class) {
            return Map.of("type", "boolean");
        }
        return Map.of("type", "string");
    }

    private Map<String, Object> schema(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            Class<?> raw = (Class<?>) parameterized.getRawType();
            Type[] arguments = parameterized.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                Map<String, Object> array = new LinkedHashMap<>();
                array.put("type", "array");
                array.put("items", schema(arguments[0]));
                if (Set.class.isAssignableFrom(raw)) {
                    array.put("uniqueItems", true);
                }
                return array;
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("type", "object", "additionalProperties", schema(arguments[1]));
            }
            return schema(raw);
        }
        if (!(type instanceof Class<?> cls)) {
            return Map.of();
        }
        if (cls == String.class || cls == Path.class) {
            return Map.of("type", "string");
        }
        if (cls == Instant.class) {
            return Map.of("type", "string", "format", "date-time");
        }
        if (cls.isPrimitive() || Number.class.isAssignableFrom(cls) || cls == Boolean.class) {
            return scalar(cls);
        }
        if (cls.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object constant : cls.getEnumConstants()) {
                names.add(((Enum<?>) constant).name());
            }
            return Map.of("type", "string", "enum", names);
        }
        if (cls.isRecord()) {
            String name = schemaName(cls);
            if (!schemas.containsKey(name)) {
                schemas.put(name, Map.of()); // placeholder against recursion
                Map<String, Object> properties = new LinkedHashMap<>();
                for (RecordComponent component : cls.getRecordComponents()) {
                    properties.put(component.getName(), schema(component.getGenericType()));
                }
                schemas.put(name, Map.of("type", "object", "properties", properties));
            }
            return Map.of("$ref", "#/components/schemas/" + name);
        }
        if (Map.class.isAssignableFrom(cls)) {
            return Map.of("type", "object");
        }
        return Map.of(); // any JSON value
    }

    /** Request records are nested in {@link Requests}; prefix them so they cannot clash with model names. */
    private static String schemaName(Class<?> cls) {
        return cls.getEnclosingClass() == Requests.class ? cls.getSimpleName() + "Request" : cls.getSimpleName();
    }

    private static Map<String, Object> problemSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("type", Map.of("type", "string"));
        properties.put("title", Map.of("type", "string"));
        properties.put("status", Map.of("type", "integer"));
        properties.put("detail", Map.of("type", "string"));
        properties.put("parameter", Map.of("type", "string"));
        properties.put("currentState", Map.of("type", "string"));
        properties.put("allowedStates", Map.of("type", "array", "items", Map.of("type", "string")));
        return Map.of("type", "object", "properties", properties);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    private static String pathOf(javax.ws.rs.Path path) {
        return path == null ? "" : path.value();
    }

    /** Joins path segments with single slashes and drops regular expressions from templates. */
    static String join(String classPath, String methodPath) {
        String joined = ("/" + classPath + "/" + methodPath).replaceAll("/+", "/");
        if (joined.length() > 1 && joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return TEMPLATE.matcher(joined).replaceAll("{$1}");
    }

    private static String tag(Class<?> resource) {
        return resource.getSimpleName().replace("Resource", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static String operationId(Class<?> resource, Method method) {
        String name = method.getName();
        return tag(resource) + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
