package io.envmon.testsupport.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code ./envmon} found out about one server or app: its state, pid, log and endpoints (keys
 * as {@code endpoints.properties} names them for a server, short names for an app).
 */
public record ServerFacts(
    Group group, String name, String state, Long pid, String log, Map<String, String> endpoints) {

  /** A server of the infrastructure, or an app of the platform. */
  public enum Group {
    INFRA,
    APP
  }

  public ServerFacts {
    endpoints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
  }

  public boolean running() {
    return state.equals("running");
  }

  /**
   * One line of the launcher's status facts: tab-separated group ({@code infra} or {@code app}),
   * name, state, pid ({@code -} when none), log, then {@code key=value} endpoints.
   */
  public static ServerFacts parse(String line) {
    String[] fields = line.split("\t", -1);
    if (fields.length < 5) {
      throw new IllegalArgumentException(
          "a status fact needs group, name, state, pid and log, tab-separated: '" + line + "'");
    }
    Group group =
        switch (fields[0]) {
          case "infra" -> Group.INFRA;
          case "app" -> Group.APP;
          default ->
              throw new IllegalArgumentException(
                  "a status fact's group is infra or app, not '" + fields[0] + "'");
        };
    Long pid;
    try {
      pid = fields[3].equals("-") ? null : Long.valueOf(fields[3]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the pid of " + fields[1] + " is not a number: '" + fields[3] + "'", e);
    }
    Map<String, String> endpoints = new LinkedHashMap<>();
    for (int i = 5; i < fields.length; i++) {
      int equals = fields[i].indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "an endpoint of " + fields[1] + " is not key=value: '" + fields[i] + "'");
      }
      endpoints.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
    }
    return new ServerFacts(group, fields[1], fields[2], pid, fields[4], endpoints);
  }
}
