package io.gpumarket.kit.api;

import java.util.List;

/**
 * An RFC 9457 problem a resource throws to answer with {@code application/problem+json}: status,
 * title, detail and, for validation, the fields at fault. Never used for 5xx by choice.
 */
public class Problem extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public Problem(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public record FieldError(String field, String message) {}

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail, List.of());
    }

    public static Problem invalid(String field, String message) {
        return new Problem(422, "Unprocessable Content", field + ": " + message,
                List.of(new FieldError(field, message)));
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(422, "Unprocessable Content", detail, errors);
    }

    public static Problem unauthorized() {
        return new Problem(401, "Unauthorized", "a valid API key is required (Authorization: Bearer <key>)",
                List.of());
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "Forbidden", detail, List.of());
    }

    public static Problem notFound(String what) {
        return new Problem(404, "Not Found", what + " not found", List.of());
    }

    public static Problem conflict(String detail) {
        return new Problem(409, "Conflict", detail, List.of());
    }
}
