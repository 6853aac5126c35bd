package io.envmon.api;

import io.micronaut.runtime.Micronaut;

/** Starts the envmon HTTP API: registry, readings, sharing ratios and security. */
public final class Application {

  private Application() {}

  public static void main(String[] args) {
    Micronaut.run(Application.class, args);
  }
}
