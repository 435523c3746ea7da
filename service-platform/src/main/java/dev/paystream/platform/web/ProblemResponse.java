package dev.paystream.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An error a controller method can answer, for its OpenAPI document: one line instead of an
 * {@code @ApiResponse} with its problem+json content and schema, which {@link OpenApiPlatformConfiguration}
 * adds. The Idempotency-Key header and its 400/409 answers are added by themselves to every method
 * that takes an {@code IdempotentRequest}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ProblemResponse.List.class)
public @interface ProblemResponse {

    /** The HTTP status. */
    int status();

    /** The codes and when; e.g. {@code "resource_missing, also for another merchant's payment"}. */
    String description();

    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        ProblemResponse[] value();
    }
}
