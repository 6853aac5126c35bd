package io.envmon.api.security;

import io.envmon.api.problem.TooManyRequestsException;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.AccessRefreshTokenGenerator;
import io.micronaut.security.token.render.AccessRefreshToken;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks a password against its bcrypt hash, rate-limits failures and issues the JWT. */
@Singleton
public class LoginService {

  private static final Logger log = LoggerFactory.getLogger(LoginService.class);

  private final UserRepository users;
  private final PasswordHasher hasher;
  private final LoginRateLimiter limiter;
  private final AccessRefreshTokenGenerator tokens;

  public LoginService(
      UserRepository users,
      PasswordHasher hasher,
      LoginRateLimiter limiter,
      AccessRefreshTokenGenerator tokens) {
    this.users = users;
    this.hasher = hasher;
    this.limiter = limiter;
    this.tokens = tokens;
  }

  /** The token, or empty for a wrong name or password. */
  public Optional<LoginResponse> login(String username, String password, String address) {
    Optional<Duration> wait = limiter.retryAfter(username, address);
    if (wait.isPresent()) {
      throw new TooManyRequestsException(
          "too many failed logins; try again in " + Math.max(1, wait.get().toSeconds()) + " s");
    }
    Optional<UserRow> user = users.findById(username);
    if (user.isEmpty()) {
      hasher.spendTimeOnUnknownUser(password);
    }
    if (user.isEmpty() || !hasher.matches(password, user.get().passwordHash())) {
      limiter.recordFailure(username, address);
      log.info("Failed login for '{}' from {}", username, address);
      return Optional.empty();
    }
    limiter.recordSuccess(username, address);
    UserRow row = user.get();
    Map<String, Object> attributes = new HashMap<>();
    if (row.cityId() != null) {
      attributes.put(Viewer.CITY_CLAIM, row.cityId());
    }
    attributes.put(
        CurrentUserClaimsValidator.PASSWORD_CLAIM,
        CurrentUserClaimsValidator.passwordVersion(row.passwordHash()));
    AccessRefreshToken token =
        tokens
            .generate(Authentication.build(row.username(), List.of(row.role()), attributes))
            .orElseThrow(() -> new IllegalStateException("the JWT generator gave no token"));
    return Optional.of(
        new LoginResponse(
            token.getAccessToken(),
            "Bearer",
            token.getExpiresIn(),
            row.username(),
            row.role(),
            row.cityId()));
  }
}
