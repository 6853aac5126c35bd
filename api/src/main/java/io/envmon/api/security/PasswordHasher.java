package io.envmon.api.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/** bcrypt (cost 12) for the passwords of {@code app_user}. */
@Singleton
public class PasswordHasher {

  private static final int COST = 12;
  // Compared against when the user does not exist, so that unknown names take as long as wrong
  // passwords.
  private static final String DUMMY_HASH =
      BCrypt.withDefaults().hashToString(COST, "no such user".toCharArray());

  public String hash(String password) {
    return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
  }

  public boolean matches(String password, String hash) {
    return BCrypt.verifyer()
        .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
        .verified;
  }

  public void spendTimeOnUnknownUser(String password) {
    matches(password, DUMMY_HASH);
  }
}
