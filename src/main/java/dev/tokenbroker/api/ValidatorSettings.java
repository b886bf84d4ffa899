package dev.tokenbroker.api;

import io.quarkus.hibernate.validator.ValidatorFactoryCustomizer;
import jakarta.inject.Singleton;
import org.hibernate.validator.BaseHibernateValidatorConfiguration;

/**
 * Hibernate Validator without its per-validation cache of traversable-resolver answers. Without
 * JPA, the resolver Quarkus installs lets every property through, but Hibernate Validator
 * recognises only its own such resolver and otherwise memoises each answer in a map built for every
 * validation: pure cost on every request body (BENCHMARKS.md, issue 31).
 */
@Singleton
public class ValidatorSettings implements ValidatorFactoryCustomizer {

  @Override
  public void customize(BaseHibernateValidatorConfiguration<?> configuration) {
    configuration.enableTraversableResolverResultCache(false);
  }
}
