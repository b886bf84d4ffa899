package dev.tokenbroker.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** The packaged broker ({@code target/quarkus-app}) running as a separate JVM, as in production. */
public final class BrokerProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final int managementPort;
  private final Path log;

  private static final String JAR = "quarkus-run.jar";
  private static final String APP_CDS = "app-cds.jsa";

  private BrokerProcess(Process process, int port, int managementPort, Path log) {
    this.process = process;
    this.port = port;
    this.managementPort = managementPort;
    this.log = log;
  }

  /** Starts the jar with these environment variables on a free port, without waiting. */
  public static BrokerProcess start(String name, Map<String, String> env) {
    return start(name, env, List.of());
  }

  /** As {@link #start(String, Map)}, with JVM options before {@code -jar}. */
  public static BrokerProcess start(String name, Map<String, String> env, List<String> jvm) {
    return start(name, env, jvm, ProcessHandle.current().info().command().orElse("java"));
  }

  /** As {@link #start(String, Map, List)}, on the {@code java} launcher of another JDK. */
  public static BrokerProcess start(
      String name, Map<String, String> env, List<String> jvm, String java) {
    Path app = Path.of("target", "quarkus-app").toAbsolutePath();
    if (!Files.exists(app.resolve(JAR))) {
      throw new IllegalStateException(
          "Package the broker first: " + app.resolve(JAR) + " is missing");
    }
    int[] ports = FreePorts.reserve(2);
    int port = ports[0];
    int managementPort = ports[1];
    Path log = Path.of("target", "it-" + name + ".log");
    // from its own directory, as deploy/Dockerfile runs it: a class-data archive or AOT cache
    // records the jar by the relative name it was built with
    ProcessBuilder builder =
        new ProcessBuilder(command(java, jvm, app))
            .directory(app.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toAbsolutePath().toFile());
    Map<String, String> environment = builder.environment();
    environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    environment.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
    environment.put(
        "BROKER_DATA_DIR", Path.of("target", "it-data-" + name).toAbsolutePath().toString());
    // the simulators listen on loopback, which the outbound policy refuses unless allowed
    environment.put("BROKER_OUTBOUND_ALLOWED_HOSTS", "127.0.0.1,localhost");
    environment.putAll(new HashMap<>(env));
    try {
      return new BrokerProcess(builder.start(), port, managementPort, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the prod profile needs to start on {@code postgres}: the datasource, this admin key and a
   * new random local encryption key.
   */
  public static Map<String, String> productionEnvironment(
      io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres, String adminKey) {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return Map.of(
        "QUARKUS_DATASOURCE_JDBC_URL",
        postgres.getJdbcUrl("postgres", "postgres"),
        "QUARKUS_DATASOURCE_USERNAME",
        "postgres",
        "QUARKUS_DATASOURCE_PASSWORD",
        "postgres",
        "BROKER_ADMIN_API_KEY",
        adminKey,
        "BROKER_CRYPTO_LOCAL_KEYS",
        "1:" + java.util.Base64.getEncoder().encodeToString(key));
  }

  /** JVM options given as one line (a benchmark's {@code -Dbench.jvm="..."}), split at spaces. */
  public static List<String> jvmOptions(String line) {
    return List.of(line.split(" ")).stream().filter(option -> !option.isBlank()).toList();
  }

  private static List<String> command(String java, List<String> jvm, Path app) {
    List<String> command = new java.util.ArrayList<>();
    command.add(java);
    if (featureVersion(java) >= 24) {
      // as deploy/Dockerfile: Netty's use of sun.misc.Unsafe would print four lines that are not
      // JSON on stderr (JEP 498)
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    if (usesBuildArchive(java, jvm, app)) {
      command.add("-XX:SharedArchiveFile=" + APP_CDS);
    }
    command.addAll(jvm);
    command.add("-jar");
    command.add(JAR);
    return command;
  }

  /**
   * The AppCDS archive that the build leaves for the JDK that built it ({@code
   * quarkus.package.jar.appcds.enabled}): used on that JDK, unless the options name a class-data
   * archive, an AOT cache or a sharing mode of their own (the startup benchmark, the image test).
   */
  private static boolean usesBuildArchive(String java, List<String> jvm, Path app) {
    return java.equals(ProcessHandle.current().info().command().orElse(null))
        && Files.exists(app.resolve(APP_CDS))
        && jvm.stream()
            .noneMatch(
                option ->
                    option.contains("Archive")
                        || option.contains("AOT")
                        || option.startsWith("-Xshare"));
  }

  /** The Java feature version of a launcher, from its JDK's {@code release} file. */
  private static int featureVersion(String java) {
    Path release = Path.of(java).toAbsolutePath().getParent().getParent().resolve("release");
    try {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("JAVA_VERSION=")) {
          return Integer.parseInt(line.replaceAll("JAVA_VERSION=\"(\\d+).*", "$1"));
        }
      }
    } catch (IOException | RuntimeException unknown) {
      // a launcher on the PATH without a release file next to it
    }
    return Runtime.version().feature();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Health, metrics and the OpenAPI document: the management interface. */
  public String managementUrl() {
    return "http://127.0.0.1:" + managementPort;
  }

  public int managementPort() {
    return managementPort;
  }

  /** Waits until {@code /q/health/ready} answers 200. */
  public BrokerProcess awaitReady(Duration timeout) {
    return awaitReady(timeout, Duration.ofMillis(200));
  }

  /** As {@link #awaitReady(Duration)}, asking every {@code poll}. */
  public BrokerProcess awaitReady(Duration timeout, Duration poll) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).build();
    Awaitility.await("broker " + log + " ready")
        .atMost(timeout)
        .pollInterval(poll)
        .pollInSameThread()
        .failFast(
            "the broker exited early",
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("see " + log + ":\n" + output());
              }
            })
        .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
        .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    return this;
  }

  /** kill -9: the process gets no chance to finish anything (no shutdown hooks). */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  /** Resident set size of the process, from /proc (Linux), in MiB. */
  public long rssMebibytes() throws IOException {
    for (String line :
        Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for " + process.pid());
  }

  /** User plus system CPU time the process has used so far, from /proc (Linux), in ms. */
  public long cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1000 / 100;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Waits for the process to end and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("Broker still running after " + timeout);
    }
    return process.exitValue();
  }

  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(20));
  }

  /** SIGTERM, then SIGKILL if the process has not ended within {@code grace}. */
  public void stop(Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
