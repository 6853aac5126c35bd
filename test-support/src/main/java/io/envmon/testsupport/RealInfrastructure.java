package io.envmon.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that resolves {@link Infrastructure} parameters to real servers, set up once
 * per test run (JVM):
 *
 * <ul>
 *   <li>when {@code -Denvmon.infra.endpoints} or the environment variable {@code
 *       ENVMON_INFRA_ENDPOINTS} names an endpoints file, the servers listed there — {@code ./envmon
 *       test} starts one set and passes it to every module of the build this way;
 *   <li>otherwise (one test from an IDE, {@code ./mvnw -pl api verify}) a set of its own, started
 *       with {@code <repo>/envmon infra up} on free ports in a temporary directory, and stopped
 *       with {@code envmon infra down} when the run ends.
 * </ul>
 */
public final class RealInfrastructure implements ParameterResolver {

  /** System property naming a shared endpoints file; wins over the environment variable. */
  public static final String ENDPOINTS_PROPERTY = "envmon.infra.endpoints";

  /** Environment variable naming a shared endpoints file, set by {@code ./envmon test}. */
  public static final String ENDPOINTS_VARIABLE = "ENVMON_INFRA_ENDPOINTS";

  private static final Logger log = LoggerFactory.getLogger(RealInfrastructure.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealInfrastructure.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Infrastructure.class;
  }

  @Override
  public Infrastructure resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return infrastructure(context);
  }

  /**
   * The servers of this test run. The root context's store keeps them for the whole run and, being
   * {@link AutoCloseable}, has JUnit stop a set of our own when the run ends.
   */
  public static Infrastructure infrastructure(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(InfrastructureLease.class, key -> lease(), InfrastructureLease.class)
        .infrastructure();
  }

  private static InfrastructureLease lease() {
    return sharedEndpointsFile()
        .<InfrastructureLease>map(
            file -> {
              log.info("Using the shared test infrastructure of {}", file);
              return new SharedInfrastructure(Infrastructure.fromEndpointsFile(file));
            })
        .orElseGet(OwnInfrastructure::start);
  }

  private static Optional<Path> sharedEndpointsFile() {
    String named = System.getProperty(ENDPOINTS_PROPERTY);
    String source = "-D" + ENDPOINTS_PROPERTY;
    if (named == null || named.isBlank()) {
      named = System.getenv(ENDPOINTS_VARIABLE);
      source = ENDPOINTS_VARIABLE;
    }
    if (named == null || named.isBlank()) {
      return Optional.empty();
    }
    Path file = Path.of(named.trim()).toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          source + " names " + file + ", which does not exist (is ./envmon infra up running?)");
    }
    return Optional.of(file);
  }

  /** The servers a test run uses, released when the run ends. */
  sealed interface InfrastructureLease extends AutoCloseable
      permits SharedInfrastructure, OwnInfrastructure {
    Infrastructure infrastructure();

    @Override
    void close();
  }

  /** Servers someone else started and will stop. */
  record SharedInfrastructure(Infrastructure infrastructure) implements InfrastructureLease {
    @Override
    public void close() {}
  }
}
