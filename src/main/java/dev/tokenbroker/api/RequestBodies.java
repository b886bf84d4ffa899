package dev.tokenbroker.api;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.Set;

/**
 * Validates a request body as {@code @NotNull @Valid} on its resource method would, answered with
 * the same problem, but without Hibernate Validator's method-validation interceptor around the
 * call: on the token endpoint that wrapping added about a third to what the body's own constraints
 * cost (BENCHMARKS.md, issue 31).
 */
@Singleton
public class RequestBodies {

  private final Validator validator;

  public RequestBodies(Validator validator) {
    this.validator = validator;
  }

  public <T> T valid(T body) {
    if (body == null) {
      throw ApiException.invalidRequest("body", "must not be null");
    }
    Set<ConstraintViolation<T>> violations = validator.validate(body);
    if (!violations.isEmpty()) {
      throw new ConstraintViolationException(violations);
    }
    return body;
  }
}
