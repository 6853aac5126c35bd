package io.envmon.e2e.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of the bench e2e processes' command lines. */
record BenchOptions(Map<String, String> values) {

  static BenchOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
        values.put(name, "true"); // a flag
      } else {
        values.put(name, args[++i]);
      }
    }
    return new BenchOptions(Map.copyOf(values));
  }

  String value(String name, String otherwise) {
    return values.getOrDefault(name, otherwise);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  int intValue(String name, int otherwise) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : otherwise;
  }

  long longValue(String name, long otherwise) {
    return values.containsKey(name) ? Long.parseLong(values.get(name)) : otherwise;
  }

  double doubleValue(String name, double otherwise) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : otherwise;
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }
}
