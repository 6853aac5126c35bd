package io.envmon.api.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ApiTestServer;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The API tested by tools we did not write: Portman (npm {@code @apideck/portman}) turns the
 * OpenAPI document the running API serves at {@code /swagger/envmon-api-1.yml} into a Postman
 * collection of contract tests (each operation's documented status, content type and JSON schema)
 * and negative variations (Portman's fuzzing of required, minimum/maximum and length constraints,
 * plus wrongly typed, unknown, oversized and malformed inputs named in {@code
 * src/test/contract/portman-config.json}); Newman runs it against the API with the coordinator's
 * token. Every request must pass its checks, none may answer 5xx, every 4xx is {@code
 * application/problem+json} ({@code src/test/contract/envmon-checks.js}), and every status is one
 * the document names for the operation (docs/api.md "Contract and negative tests").
 *
 * <p>The API is a private one (its own schema, topics and database): the collection creates,
 * changes and deletes a city, a point, a user, a webhook and an API key. Left out: {@code GET
 * /api/v1/alerts/stream} (an endless SSE stream) and {@code POST /api/v1/login} (failed logins
 * would lock the demo users out for the rest of the run; LoginIT covers it). Both tools come from
 * {@code src/test/contract/package-lock.json}, installed with {@code npm ci} into {@code
 * target/contract-test}, where the collection, Newman's report and logs stay for reading.
 */
@WithRealInfrastructure
class OpenApiContractIT {

  private static final Path SOURCES = Path.of("src/test/contract");
  private static final Path WORK = Path.of("target/contract-test");

  /**
   * Statuses any operation may answer, not repeated per operation: 401 without a valid token, 413
   * for a request line or headers over the server's limits (both application/problem+json).
   */
  private static final Set<Integer> ANY_OPERATION = Set.of(401, 413);

  private static final List<String> FILES =
      List.of(
          "package.json",
          "package-lock.json",
          "portman-config.json",
          "postman-config.json",
          "filter.json",
          "envmon-checks.js",
          "negative-checks.js");

  @Test
  @DisplayName(
      "every operation of the OpenAPI document answers as documented, and bad input gets a 4xx"
          + " problem, never a 5xx (Portman + Newman)")
  void theApiHoldsToItsOpenApiDocument(Infrastructure infrastructure) throws Exception {
    install();
    ApiTestServer api = ApiTestServer.startPrivate(infrastructure, Map.of());
    try {
      String openApi =
          api.http().retrieve(HttpRequest.GET("/swagger/envmon-api-1.yml"), String.class);
      assertThat(openApi).startsWith("openapi: 3");
      Files.writeString(WORK.resolve("openapi.yml"), openApi, StandardCharsets.UTF_8);
      String baseUrl = api.server.getURL().toString();

      run(
          "portman.log",
          "node",
          "node_modules/@apideck/portman/bin/portman",
          "--local",
          "openapi.yml",
          "--baseUrl",
          baseUrl,
          "--portmanConfigFile",
          "portman-config.json",
          "--postmanConfigFile",
          "postman-config.json",
          "--filterFile",
          "filter.json",
          "--output",
          "collection.json",
          "--oaOutput",
          "openapi.json",
          "--includeTests",
          "--warn",
          "false");
      assertThat(WORK.resolve("collection.json")).isNotEmptyFile();

      Files.deleteIfExists(WORK.resolve("report.json"));
      int newman =
          run(
              "newman.log",
              "node",
              "node_modules/newman/bin/newman.js",
              "run",
              "collection.json",
              "--env-var",
              "bearerToken=" + api.tokenOf("coordinator"),
              // a request body that is not JSON: the variable lands inside a string and breaks it
              "--env-var",
              "malformedJson=x\", oops",
              "--reporters",
              "cli,json",
              "--reporter-json-export",
              "report.json",
              "--color",
              "off",
              "--disable-unicode");

      JsonMapper json = api.server.getApplicationContext().getBean(JsonMapper.class);
      Map<?, ?> report = json.readValue(Files.readAllBytes(WORK.resolve("report.json")), Map.class);
      Map<?, ?> paths =
          (Map<?, ?>)
              json.readValue(Files.readAllBytes(WORK.resolve("openapi.json")), Map.class)
                  .get("paths");
      Map<String, String> operations = operations(json);
      List<String> undocumented = new ArrayList<>();
      Map<?, ?> run = (Map<?, ?>) report.get("run");
      List<String> failures = new ArrayList<>();
      List<String> serverErrors = new ArrayList<>();
      int requests = 0;
      int negative = 0;
      for (Object each : (List<?>) run.get("executions")) {
        Map<?, ?> execution = (Map<?, ?>) each;
        String name = (String) ((Map<?, ?>) execution.get("item")).get("name");
        Map<?, ?> response = (Map<?, ?>) execution.get("response");
        requests++;
        if (name.contains("[")) {
          negative++;
        }
        int code = response == null ? -1 : ((Number) response.get("code")).intValue();
        if (code >= 500 || code < 0) {
          serverErrors.add(name + " -> " + code);
        }
        // every status, of the main requests and the variations alike, is one the document
        // names for the operation (or one of the statuses any operation may answer)
        String operation = operations.get((String) ((Map<?, ?>) execution.get("item")).get("id"));
        String[] methodAndPath = operation.split(" ", 2);
        Map<?, ?> responses =
            (Map<?, ?>)
                ((Map<?, ?>)
                        ((Map<?, ?>) paths.get(methodAndPath[1]))
                            .get(methodAndPath[0].toLowerCase(Locale.ROOT)))
                    .get("responses");
        if (!responses.containsKey(String.valueOf(code)) && !ANY_OPERATION.contains(code)) {
          undocumented.add(operation + " answered " + code + " (" + name + ")");
        }
        Object assertions = execution.get("assertions");
        if (assertions instanceof List<?> list) {
          for (Object a : list) {
            Map<?, ?> assertion = (Map<?, ?>) a;
            if (assertion.get("error") instanceof Map<?, ?> error) {
              failures.add(
                  name
                      + " ("
                      + code
                      + "): "
                      + assertion.get("assertion")
                      + ": "
                      + error.get("message"));
            }
          }
        }
      }
      System.out.printf(
          "OpenApiContractIT: Newman sent %d requests (%d negative variations), %d failed"
              + " checks%n",
          requests, negative, failures.size());
      assertThat(serverErrors).as("requests answered 5xx (or not at all)").isEmpty();
      assertThat(undocumented).as("statuses the OpenAPI document does not name").isEmpty();
      assertThat(failures).as("failed checks (target/contract-test/newman.log)").isEmpty();
      assertThat(newman).as("newman exit code").isZero();
      // the collection covers every operation left in and a real share of negative input
      assertThat(requests - negative).as("operations exercised").isGreaterThanOrEqualTo(25);
      assertThat(negative).as("negative variations").isGreaterThanOrEqualTo(50);
    } finally {
      api.server.stop();
    }
  }

  /** The collection's requests by item id: "METHOD /path/{variable}" as the document names it. */
  private static Map<String, String> operations(JsonMapper json) throws Exception {
    Map<?, ?> collection =
        json.readValue(Files.readAllBytes(WORK.resolve("collection.json")), Map.class);
    Map<String, String> operations = new HashMap<>();
    collect((List<?>) collection.get("item"), operations);
    return operations;
  }

  private static void collect(List<?> items, Map<String, String> into) {
    for (Object each : items) {
      Map<?, ?> item = (Map<?, ?>) each;
      if (item.get("item") instanceof List<?> folder) {
        collect(folder, into);
        continue;
      }
      Map<?, ?> request = (Map<?, ?>) item.get("request");
      StringBuilder path = new StringBuilder();
      for (Object segment : (List<?>) ((Map<?, ?>) request.get("url")).get("path")) {
        String s = (String) segment;
        path.append('/').append(s.startsWith(":") ? "{" + s.substring(1) + "}" : s);
      }
      into.put((String) item.get("id"), request.get("method") + " " + path);
    }
  }

  /** Portman and Newman from package-lock.json, with npm ci, as DashboardBrowserIT does. */
  private static void install() throws Exception {
    Files.createDirectories(WORK);
    for (String file : FILES) {
      Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (Files.isDirectory(WORK.resolve("node_modules/@apideck/portman"))
        && Files.isDirectory(WORK.resolve("node_modules/newman"))) {
      return;
    }
    assertThat(run("npm-ci.log", "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"))
        .as("npm ci: %s", Files.readString(WORK.resolve("npm-ci.log")))
        .isZero();
  }

  /** Runs a command in the work directory, its output to a log there; returns its exit code. */
  private static int run(String log, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command)
            .directory(WORK.toFile())
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve(log).toFile())
            .start();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command[1] + " did not finish in 300 s; see " + WORK.resolve(log));
    }
    return process.exitValue();
  }
}
