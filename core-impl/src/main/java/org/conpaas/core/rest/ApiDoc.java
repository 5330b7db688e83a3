package org.conpaas.core.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the JAX-RS annotations cannot say about an endpoint, for the generated OpenAPI document: a summary, the
 * success status, and the body type of methods that return a {@code Response}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiDoc {

    String value();

    int status() default 200;

    /** The success body type when the method returns {@code javax.ws.rs.core.Response}. */
    Class<?> returns() default Void.class;

    /** The request body type when the method reads the body itself (e.g. an optional body). */
    Class<?> body() default Void.class;

    /** Whether {@link #returns()} is the element type of a JSON array. */
    boolean list() default false;
}
