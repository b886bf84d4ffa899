package dev.tokenbroker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tokenbroker.support.BrokerProcess;
import dev.tokenbroker.support.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The AOT cache step of {@code deploy/Dockerfile} (ADR 11), run with its own flags on the packaged
 * jar and Java 25: it needs no database, and a broker started with {@code -XX:AOTMode=on} (which
 * refuses to start on a cache it cannot use) gets ready on PostgreSQL with it.
 */
class ImageAotCacheIT {

  private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
  private static final Pattern RECORD =
      Pattern.compile("RUN java ((?:[^\\n\\\\]|\\\\\\n)*?)\\s*-jar quarkus-run\\.jar");

  @Test
  void theDockerfilesCacheIsRecordedWithoutADatabaseAndUsedByTheStart() throws Exception {
    if (!Files.exists(JAVA_25)) {
      assertTrue(System.getenv("CI") == null, "CI machines have Temurin 25 at " + JAVA_25);
      assumeTrue(false, "no Temurin 25 here");
    }
    Path cache = Path.of("target", "image-test.aot").toAbsolutePath();
    Files.deleteIfExists(cache);

    List<String> record = new ArrayList<>(List.of(JAVA_25.toString()));
    for (String flag : dockerfileRecordingFlags()) {
      record.add(flag.startsWith("-XX:AOTCacheOutput=") ? "-XX:AOTCacheOutput=" + cache : flag);
    }
    // in the application's directory, as the Dockerfile and BrokerProcess run it: the cache
    // records the class path, and a start on another one cannot use it
    record.addAll(List.of("-jar", "quarkus-run.jar"));
    Path log = Path.of("target", "it-image-aot-record.log");
    ProcessBuilder builder =
        new ProcessBuilder(record)
            .directory(Path.of("target", "quarkus-app").toFile())
            .redirectErrorStream(true);
    builder.redirectOutput(log.toAbsolutePath().toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_"));
    Process recording = builder.start();
    assertTrue(recording.waitFor(180, TimeUnit.SECONDS), "recording did not end");
    assertEquals(0, recording.exitValue(), Files.readString(log));
    assertTrue(Files.size(cache) > 1_000_000, "no cache written: " + Files.readString(log));

    try (EmbeddedPostgres postgres =
            EmbeddedPostgres.builder().setPort(FreePorts.reserve()).start();
        BrokerProcess broker =
            BrokerProcess.start(
                "image-aot",
                BrokerProcess.productionEnvironment(
                    postgres, "it-admin-key-0123456789abcdefghijklmnopq"),
                List.of("-XX:+UseSerialGC", "-XX:AOTMode=on", "-XX:AOTCache=" + cache),
                JAVA_25.toString())) {
      broker.awaitReady(Duration.ofSeconds(90));
    }
  }

  /** The JVM flags of the Dockerfile's {@code RUN java ... -jar quarkus-run.jar}. */
  private static List<String> dockerfileRecordingFlags() throws Exception {
    Matcher run = RECORD.matcher(Files.readString(Path.of("deploy", "Dockerfile")));
    assertTrue(run.find(), "deploy/Dockerfile records no AOT cache");
    List<String> flags = BrokerProcess.jvmOptions(run.group(1).replace("\\\n", " ").trim());
    assertTrue(flags.stream().anyMatch(f -> f.startsWith("-XX:AOTCacheOutput=")), flags.toString());
    return flags;
  }
}
