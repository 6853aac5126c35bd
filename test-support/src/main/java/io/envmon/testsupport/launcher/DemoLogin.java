package io.envmon.testsupport.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A login of the demo cluster ({@code users} of the demo data file), shown by status and up. */
public record DemoLogin(String username, String password, String role, String city) {

  /** The {@code users} of the demo data file (api/src/main/resources/demo/cluster.json). */
  public static List<DemoLogin> read(Path demoDataFile) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(demoDataFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo data file " + demoDataFile, e);
    }
    List<DemoLogin> logins = new ArrayList<>();
    for (JsonNode user : root.path("users")) {
      logins.add(
          new DemoLogin(
              required(user, "username", demoDataFile),
              required(user, "password", demoDataFile),
              required(user, "role", demoDataFile),
              user.hasNonNull("city") ? user.get("city").asText() : null));
    }
    return logins;
  }

  private static String required(JsonNode user, String field, Path demoDataFile) {
    if (!user.hasNonNull(field)) {
      throw new IllegalArgumentException(
          "a user in " + demoDataFile + " has no " + field + ": " + user);
    }
    return user.get(field).asText();
  }
}
