package io.gpumarket.kit.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error a service returns is {@code application/problem+json}: thrown {@link Problem}s,
 * bean-validation failures (400 with the fields), unreadable JSON and unknown fields (400), and
 * the framework's own 404/405/415; anything unexpected is a logged 500 without internals.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    public static final String PROBLEM_JSON = "application/problem+json";

    @ServerExceptionMapper
    public Response problem(Problem p) {
        return respond(p.status(), p.title(), p.getMessage(), p.errors());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(leaf(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(400, "Bad Request", "the request has invalid fields", errors);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return respond(400, "Bad Request", "unknown field '" + e.getPropertyName() + "'",
                List.of(new Problem.FieldError(e.getPropertyName(), "unknown field")));
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        String field = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]"
                : r.getFieldName()).reduce((a, b) -> a + "." + b).orElse("body");
        return respond(400, "Bad Request", "wrong type or shape for '" + field + "'",
                List.of(new Problem.FieldError(field, "wrong type or shape")));
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        return respond(400, "Bad Request", "the body is not valid JSON", List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return respond(status, "Internal Server Error", "the request could not be completed", List.of());
        }
        var reason = Response.Status.fromStatusCode(status);
        return respond(status, reason == null ? "Error" : reason.getReasonPhrase(),
                e.getMessage() == null ? "request refused" : e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return unreadable(jpe);
        }
        LOG.error("unexpected failure", e);
        return respond(500, "Internal Server Error", "the request could not be completed", List.of());
    }

    public static Response respond(int status, String title, String detail, List<Problem.FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }

    private static String leaf(String path) {
        int dot = path.indexOf('.');
        String rest = dot < 0 ? path : path.substring(dot + 1);
        int second = rest.indexOf('.');
        return second < 0 ? rest : rest.substring(second + 1);
    }
}
