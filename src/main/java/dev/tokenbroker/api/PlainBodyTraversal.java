package dev.tokenbroker.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;
import java.lang.annotation.ElementType;

/**
 * Lets Bean Validation reach every property of a request body without asking JPA first whether it
 * is loaded: bodies are plain records, never entities (Hibernate ORM validates entities with its
 * own resolver). The JPA check was about a tenth of validating a token request.
 */
@ApplicationScoped
public class PlainBodyTraversal implements TraversableResolver {

  @Override
  public boolean isReachable(
      Object bean,
      Path.Node property,
      Class<?> rootBeanType,
      Path pathToProperty,
      ElementType elementType) {
    return true;
  }

  @Override
  public boolean isCascadable(
      Object bean,
      Path.Node property,
      Class<?> rootBeanType,
      Path pathToProperty,
      ElementType elementType) {
    return true;
  }
}
