package dev.tokenbroker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs promtool (Debian package {@code prometheus}) on the alert rules in deploy/prometheus: a
 * syntax check and the rules' unit tests. Skipped where promtool is missing, except on CI ({@code
 * CI=true}, set by .ci/run after installing it), where its absence fails the build.
 */
class PrometheusRulesTest {

  private static final Path DIR = Path.of("deploy", "prometheus");

  @BeforeAll
  static void requirePromtool() {
    boolean present = promtool() != null;
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("promtool missing on CI: apt-get install prometheus");
    }
    assumeTrue(present, "promtool not installed (apt-get install prometheus)");
  }

  @Test
  void rulesAreValid() throws Exception {
    assertPromtool("check", "rules", "token-broker-rules.yml");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    assertPromtool("test", "rules", "token-broker-rules.test.yml");
  }

  private static void assertPromtool(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(promtool()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    assertEquals(0, process.exitValue(), "promtool " + String.join(" ", args) + ":\n" + output);
  }

  private static String promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
