package io.envmon.testsupport.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./envmon status}, {@code infra status} and the summary after {@code up}: reads the facts
 * the launcher gathered (one {@link ServerFacts} line each) from standard input and prints them.
 *
 * <p>Usage: {@code StatusMain infra|platform|summary [--json] --var DIR --home DIR [--demo-data
 * FILE]}; text output exits 3 unless every server shown runs.
 */
public final class StatusMain {

  private StatusMain() {}

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try {
      List<ServerFacts> facts = new ArrayList<>();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          facts.add(ServerFacts.parse(line));
        }
      }
      System.exit(run(args, facts, out));
    } catch (IllegalArgumentException e) {
      System.err.println("envmon: status: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Prints the report the arguments ask for; returns the exit status. */
  static int run(String[] args, List<ServerFacts> facts, PrintStream out) {
    if (args.length == 0) {
      throw new IllegalArgumentException(
          "usage: StatusMain infra|platform|summary [--json] --var DIR --home DIR [--demo-data FILE]");
    }
    String mode = args[0];
    boolean json = false;
    String var = null;
    String home = null;
    Path demoData = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--json" -> json = true;
        case "--var" -> var = value(args, ++i, "--var");
        case "--home" -> home = value(args, ++i, "--home");
        case "--demo-data" -> demoData = Path.of(value(args, ++i, "--demo-data"));
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    if (var == null || home == null) {
      throw new IllegalArgumentException("--var and --home are required");
    }
    if (!mode.equals("infra") && demoData == null) {
      throw new IllegalArgumentException(mode + " needs --demo-data (the demo logins)");
    }
    List<DemoLogin> logins = demoData == null ? List.of() : DemoLogin.read(demoData);
    StatusReport report = new StatusReport(var, home, facts, logins);
    switch (mode) {
      case "infra", "platform" -> {
        if (json) {
          out.print(report.json());
          return 0;
        }
        out.print(mode.equals("infra") ? report.infraText() : report.platformText());
        return report.exitStatus();
      }
      case "summary" -> {
        out.print(report.summaryText());
        return 0;
      }
      default ->
          throw new IllegalArgumentException(
              "unknown report '" + mode + "' (infra, platform or summary)");
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }
}
