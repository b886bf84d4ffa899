package dev.tokenbroker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tokenbroker.token.TokenRequest;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ValidatorFactory;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.validator.HibernateValidatorFactory;
import org.hibernate.validator.internal.engine.PredefinedScopeValidatorFactoryImpl;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ValidatorSettingsTest {

  @Inject ValidatorFactory validators;

  @Test
  void theApplicationsValidatorKeepsNoPerValidationTraversalCache() {
    PredefinedScopeValidatorFactoryImpl factory =
        (PredefinedScopeValidatorFactoryImpl) validators.unwrap(HibernateValidatorFactory.class);
    assertFalse(factory.isTraversableResolverResultCacheEnabled());
  }

  @Test
  void requestBodiesAreStillValidatedWithoutIt() {
    Set<ConstraintViolation<TokenRequest>> violations =
        validators
            .getValidator()
            .validate(new TokenRequest("Not A Provider", "user-1", List.of(""), -1, null));
    assertEquals(
        Set.of("providerId", "scopes[0].<list element>", "minValiditySeconds"),
        violations.stream().map(v -> v.getPropertyPath().toString()).collect(Collectors.toSet()));
  }
}
