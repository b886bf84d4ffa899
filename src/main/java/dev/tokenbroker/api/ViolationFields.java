package dev.tokenbroker.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import java.util.Locale;

/** The request field a Bean Validation violation is about, in the API's snake_case. */
final class ViolationFields {

  private ViolationFields() {}

  static String fieldName(ConstraintViolation<?> violation) {
    String name = "body";
    boolean afterParameter = false;
    StringBuilder path = new StringBuilder();
    for (Path.Node node : violation.getPropertyPath()) {
      switch (node.getKind()) {
        case PARAMETER -> {
          afterParameter = true;
          name = node.getName();
        }
        case PROPERTY, CONTAINER_ELEMENT -> {
          // Bean Validation puts a container's index on the node inside it.
          if (node.isInIterable() && node.getIndex() != null) {
            path.append('[').append(node.getIndex()).append(']');
          }
          if (node.getName() != null && !node.getName().startsWith("<")) {
            if (!path.isEmpty()) {
              path.append('.');
            }
            path.append(snakeCase(node.getName()));
          }
        }
        default -> {}
      }
    }
    if (!path.isEmpty()) {
      return path.toString();
    }
    return afterParameter && !name.startsWith("arg") ? snakeCase(name) : "body";
  }

  static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
