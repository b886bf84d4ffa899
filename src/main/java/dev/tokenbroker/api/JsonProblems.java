package dev.tokenbroker.api;

import static dev.tokenbroker.api.ProblemResponses.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A body Jackson could not read, as a 400 that names the field: duplicated, unknown, of the wrong
 * type or format, or too deep or long. Jackson's own message is never echoed.
 */
final class JsonProblems {

  private JsonProblems() {}

  static Response badJson(JsonProcessingException e, UriInfo uri) {
    String duplicate = duplicateField(e);
    if (duplicate != null) {
      return build(
          400,
          ProblemCodes.INVALID_REQUEST,
          duplicate + ": given more than once",
          uri,
          null,
          List.of(new ApiException.InvalidParam(duplicate, "given more than once")));
    }
    if (e instanceof StreamConstraintsException) {
      return build(
          400,
          ProblemCodes.INVALID_REQUEST,
          "The JSON body is nested too deeply or holds a value that is too long",
          uri,
          null,
          List.of());
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      String field = jsonPath(unknown);
      return build(
          400,
          ProblemCodes.INVALID_REQUEST,
          field + ": unknown field",
          uri,
          null,
          List.of(new ApiException.InvalidParam(field, "unknown field")));
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String field = jsonPath(mapping);
      String reason =
          e instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()
              ? "must be one of " + enumValues(invalid.getTargetType())
              : "has the wrong type or format";
      return build(
          400,
          ProblemCodes.INVALID_REQUEST,
          field + ": " + reason,
          uri,
          null,
          List.of(new ApiException.InvalidParam(field, reason)));
    }
    return build(400, ProblemCodes.INVALID_REQUEST, "Malformed JSON body", uri, null, List.of());
  }

  /** The key named by Jackson's strict duplicate detection ("Duplicate field 'x'"), or null. */
  private static String duplicateField(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null || !message.startsWith("Duplicate field '")) {
      return null;
    }
    int end = message.indexOf('\'', "Duplicate field '".length());
    String field = end < 0 ? null : message.substring("Duplicate field '".length(), end);
    return field == null || field.length() > 64 || !field.matches("[a-z_]+") ? "body" : field;
  }

  private static String enumValues(Class<?> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(Object::toString)
        .collect(Collectors.joining(", "));
  }

  private static String jsonPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "body" : path.toString();
  }
}
