package io.envmon.testsupport.launcher;

import java.nio.file.Path;

/**
 * Prints the demo cities of the demo data file for {@code ./envmon}, one {@link DemoCity#line()}
 * each. Usage: {@code DemoCitiesMain <demo data file> <devices directory>}.
 */
public final class DemoCitiesMain {

  private DemoCitiesMain() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: DemoCitiesMain <demo data file> <devices directory>");
      System.exit(2);
    }
    try {
      DemoCity.read(Path.of(args[0]), Path.of(args[1]))
          .forEach(city -> System.out.println(city.line()));
    } catch (IllegalArgumentException e) {
      System.err.println("envmon: " + e.getMessage());
      System.exit(1);
    }
  }
}
