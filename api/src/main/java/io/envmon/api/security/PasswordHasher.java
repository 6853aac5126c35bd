package io.envmon.api.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt for the passwords of {@code app_user}: cost {@code envmon.security.password-hash-cost}
 * (12; a hash keeps its own cost, so changing it affects only passwords set afterwards).
 */
@Singleton
public class PasswordHasher {

  private final int cost;
  // Compared against when the user does not exist, so that unknown names take as long as wrong
  // passwords.
  private final String dummyHash;

  public PasswordHasher(@Value("${envmon.security.password-hash-cost:12}") int cost) {
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException(
          "envmon.security.password-hash-cost must be a bcrypt cost from 4 to 31, not " + cost);
    }
    this.cost = cost;
    this.dummyHash = BCrypt.withDefaults().hashToString(cost, "no such user".toCharArray());
  }

  public String hash(String password) {
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  public boolean matches(String password, String hash) {
    return BCrypt.verifyer()
        .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
        .verified;
  }

  public void spendTimeOnUnknownUser(String password) {
    matches(password, dummyHash);
  }
}
