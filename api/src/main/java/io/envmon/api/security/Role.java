package io.envmon.api.security;

import java.util.Locale;
import java.util.Optional;

/**
 * The roles of docs/api.md "Roles and visibility": the coordinator of all cities, the others of
 * one.
 */
public enum Role {
  COORDINATOR,
  BUREAU,
  EMERGENCY,
  VIEWER;

  /** The name in tokens, the database and the data file: "coordinator", "bureau", ... */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String code) {
    for (Role role : values()) {
      if (role.code().equals(code)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
