package dev.tokenbroker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders deploy/kubernetes with {@code kubectl kustomize} and validates every object against the
 * Kubernetes and Prometheus Operator schemas (deploy/kubernetes/validate, Node.js). Skipped where
 * kubectl or node is missing, except on CI ({@code CI=true}), where that fails.
 */
class KubernetesManifestsTest {

  private static final Path VALIDATOR = Path.of("deploy", "kubernetes", "validate");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "deploy/kubernetes/base",
        "deploy/kubernetes/overlays/example",
        "deploy/kubernetes/overlays/vault",
        "deploy/kubernetes/overlays/service-accounts"
      })
  void rendersAndMatchesTheSchemas(String kustomization) throws Exception {
    String kubectl = tool("kubectl");
    String node = tool("node");
    installValidator();

    Result rendered = run(List.of(kubectl, "kustomize", kustomization), null, Path.of("."));
    assertEquals(0, rendered.exit(), rendered.output());
    String manifests = rendered.stdout();

    Result validated = run(List.of(node, "validate.mjs"), manifests, VALIDATOR);
    assertEquals(0, validated.exit(), validated.output());
    for (String kind :
        List.of(
            "Deployment",
            "Service",
            "ConfigMap",
            "ServiceAccount",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "ServiceMonitor")) {
      assertTrue(validated.stdout().contains("/" + kind + " token-broker"), kind + " rendered");
    }
    for (String required :
        List.of(
            "runAsNonRoot: true",
            "readOnlyRootFilesystem: true",
            "allowPrivilegeEscalation: false",
            "path: /q/health/ready",
            "path: /q/health/live",
            "path: /q/metrics",
            "port: management",
            "containerPort: 9000",
            "name: token-broker-database",
            "serviceAccountName: token-broker",
            "enableServiceLinks: false")) {
      assertTrue(manifests.contains(required), kustomization + " lacks " + required);
    }
  }

  @Test
  void theConfigMapRunsTheJvmWithTheRecommendedOptions() throws IOException {
    String configMap = Files.readString(Path.of("deploy", "kubernetes", "base", "configmap.yaml"));
    String append = line(configMap, "JAVA_OPTS_APPEND:");
    String collector = line(configMap, "GC_CONTAINER_OPTIONS:");
    for (String option : Files.readString(Path.of("deploy", "jvm-options")).trim().split("\\s+")) {
      if (option.startsWith("-XX:+Use") && option.endsWith("GC")) {
        assertTrue(collector.contains(option), "GC_CONTAINER_OPTIONS lacks " + option);
      } else {
        assertTrue(append.contains(option), "JAVA_OPTS_APPEND lacks " + option);
      }
    }
  }

  private static String line(String text, String key) {
    return text.lines().filter(l -> l.strip().startsWith(key)).findFirst().orElse("");
  }

  private static void installValidator() throws Exception {
    if (Files.isDirectory(VALIDATOR.resolve("node_modules"))) {
      return;
    }
    Result installed = run(List.of(tool("npm"), "ci", "--no-audit", "--no-fund"), null, VALIDATOR);
    assertEquals(0, installed.exit(), installed.output());
  }

  private static String tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException(name + " missing on CI (see .ci/run)");
    }
    assumeTrue(false, name + " not installed");
    return null;
  }

  private record Result(int exit, String stdout, String stderr) {
    String output() {
      return stdout + "\n" + stderr;
    }
  }

  private static Result run(List<String> command, String input, Path dir)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
    if (input != null) {
      try (var in = process.getOutputStream()) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    } else {
      process.getOutputStream().close();
    }
    var stderr = process.getErrorStream();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " timed out");
    }
    return new Result(process.exitValue(), out, err);
  }
}
