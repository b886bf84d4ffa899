package dev.tokenbroker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthorizationHeaderTest {

  @Test
  void theCredentialsFollowTheSchemeInAnyCaseAfterAnyRunOfWhitespace() {
    assertEquals(Optional.of("abc"), AuthorizationHeader.credentials("Basic abc", "Basic"));
    assertEquals(Optional.of("abc"), AuthorizationHeader.credentials(" bAsIc \t abc ", "Basic"));
    assertEquals(Optional.of("a b"), AuthorizationHeader.credentials("Bearer\ta b", "Bearer"));
  }

  @Test
  void anotherSchemeOrNoCredentialsIsEmpty() {
    for (String value :
        new String[] {
          "Basic", "Basic \t ", "Bearer abc", "Basicx abc", "Basi abc", "Basicabc", "Basic\u2003abc"
        }) {
      assertEquals(Optional.empty(), AuthorizationHeader.credentials(value, "Basic"), value);
    }
  }
}
