package io.envmon.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of servers of this JVM's own: {@code <repo>/envmon infra up} with its state in a temporary
 * directory and every port chosen free, stopped with {@code envmon infra down} when the test run
 * ends — or by a shutdown hook if the JVM exits first.
 *
 * <p>The servers, Kafka included, run as separate processes started by the same script as in
 * production: nothing of theirs lands on the test classpath.
 */
final class OwnInfrastructure implements RealInfrastructure.InfrastructureLease {

  private static final Logger log = LoggerFactory.getLogger(OwnInfrastructure.class);
  private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration DOWN_TIMEOUT = Duration.ofMinutes(2);
  private static final int OUTPUT_LINES_IN_ERRORS = 40;
  private static final String STATE_DIRECTORY_PREFIX = "envmon-infra-";

  /** In our state directory: the pid of the JVM the servers belong to. */
  private static final String OWNER_FILE = "owner.pid";

  private final Path script;
  private final Path stateDirectory;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Thread shutdownHook;
  private volatile Infrastructure infrastructure;

  private OwnInfrastructure(Path script, Path stateDirectory) {
    this.script = script;
    this.stateDirectory = stateDirectory;
    this.shutdownHook = new Thread(() -> stop("the JVM exits"), "envmon-infra-down");
  }

  static OwnInfrastructure start() {
    Path script = envmonScript(Path.of(System.getProperty("user.dir")));
    stopAbandoned(script);
    Path stateDirectory;
    try {
      stateDirectory =
          Files.createTempDirectory(
              STATE_DIRECTORY_PREFIX,
              // The postgres and mosquitto service users must be able to enter it.
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      Files.writeString(
          stateDirectory.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a state directory for the test servers", e);
    }
    OwnInfrastructure own = new OwnInfrastructure(script, stateDirectory);
    Runtime.getRuntime().addShutdownHook(own.shutdownHook);
    log.info(
        "Starting a test infrastructure of our own: {} infra up, state in {}",
        script,
        stateDirectory);
    long startedNanos = System.nanoTime();
    try {
      own.envmon("up", UP_TIMEOUT);
      own.infrastructure =
          Infrastructure.fromEndpointsFile(stateDirectory.resolve("endpoints.properties"));
    } catch (RuntimeException e) {
      own.close();
      throw e;
    }
    log.info(
        "Test infrastructure up in {} ms: {}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos),
        own.infrastructure);
    return own;
  }

  @Override
  public Infrastructure infrastructure() {
    return infrastructure;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or about to; stop() below is idempotent
    }
    stop("the test run ended");
  }

  private void stop(String because) {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    try {
      envmon("down", DOWN_TIMEOUT);
      deleteRecursively(stateDirectory);
      log.info("Stopped the test infrastructure in {} because {}", stateDirectory, because);
    } catch (RuntimeException e) {
      log.warn("Could not stop the test infrastructure in {}", stateDirectory, e);
    }
  }

  /**
   * Stops the servers of test JVMs that died without stopping theirs (killed with SIGKILL, say):
   * state directories of ours whose owner process is gone.
   */
  private static void stopAbandoned(Path script) {
    Path temporary = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> candidates = Files.list(temporary)) {
      for (Path directory :
          candidates
              .filter(path -> path.getFileName().toString().startsWith(STATE_DIRECTORY_PREFIX))
              .filter(path -> Files.isRegularFile(path.resolve(OWNER_FILE)))
              .toList()) {
        if (ownerAlive(directory)) {
          continue;
        }
        log.info("Stopping the abandoned test infrastructure in {}", directory);
        OwnInfrastructure abandoned = new OwnInfrastructure(script, directory);
        abandoned.stop("its test JVM is gone");
      }
    } catch (IOException e) {
      log.warn("Could not look for abandoned test infrastructures in {}", temporary, e);
    }
  }

  private static boolean ownerAlive(Path stateDirectory) {
    try {
      long owner = Long.parseLong(Files.readString(stateDirectory.resolve(OWNER_FILE)).trim());
      return ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return true; // not sure: leave it alone
    }
  }

  /** Runs {@code envmon infra <action>} against our state directory, its output into a file. */
  private void envmon(String action, Duration timeout) {
    Path output = stateDirectory.resolve("envmon-infra-" + action + ".out");
    ProcessBuilder builder =
        new ProcessBuilder(script.toString(), "infra", action)
            .directory(script.getParent().toFile())
            .redirectErrorStream(true)
            // never a pipe: the servers outlive the script and would hold it open
            .redirectOutput(output.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("ENVMON_") && name.endsWith("_PORT"));
    environment.remove(RealInfrastructure.ENDPOINTS_VARIABLE);
    environment.put("ENVMON_VAR", stateDirectory.toString());
    environment.put("ENVMON_PORTS", "auto");
    try {
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "envmon infra " + action + " took longer than " + timeout + ":\n" + tail(output));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "envmon infra "
                + action
                + " failed with exit code "
                + process.exitValue()
                + " (state kept in "
                + stateDirectory
                + "):\n"
                + tail(output));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running envmon infra " + action, e);
    }
  }

  /** The {@code envmon} script of the repository that contains {@code directory}. */
  static Path envmonScript(Path directory) {
    for (Path dir = directory.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("envmon");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no executable envmon script in "
            + directory.toAbsolutePath()
            + " or above it: run the tests inside the envmon repository, or name running servers"
            + " with "
            + RealInfrastructure.ENDPOINTS_VARIABLE);
  }

  private static String tail(Path output) {
    try {
      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - OUTPUT_LINES_IN_ERRORS), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }
}
