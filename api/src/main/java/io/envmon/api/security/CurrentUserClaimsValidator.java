package io.envmon.api.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Honours a bearer token only while its user still exists with the role and city the token names
 * and the password it was issued under: deleting a user, changing his role or city, or setting a
 * new password revokes his tokens. Each user is looked up in PostgreSQL at most once per {@code
 * envmon.security.user-recheck-interval} (2 s) per API replica, so a change made through any
 * replica takes effect on every replica within that time.
 */
@Singleton
public class CurrentUserClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>> {

  /** The claim naming the password a token was issued under ({@link #passwordVersion}). */
  public static final String PASSWORD_CLAIM = "pwv";

  private static final Logger log = LoggerFactory.getLogger(CurrentUserClaimsValidator.class);

  private final UserRepository users;
  private final Clock clock;
  private final Duration recheckInterval;
  private final Map<String, Looked> looked = new ConcurrentHashMap<>();

  private record Looked(Optional<UserRow> user, Instant at) {}

  public CurrentUserClaimsValidator(
      UserRepository users,
      Clock clock,
      @Value("${envmon.security.user-recheck-interval:2s}") Duration recheckInterval) {
    this.users = users;
    this.clock = clock;
    this.recheckInterval = recheckInterval;
  }

  /**
   * A short fingerprint of a user's password hash: a token carries it, and a new password (a new
   * hash) no longer matches it. It reveals nothing usable about the password.
   */
  public static String passwordVersion(String passwordHash) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(passwordHash.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public boolean validate(Claims claims, @Nullable HttpRequest<?> request) {
    Object subject = claims.get(Claims.SUBJECT);
    if (subject == null) {
      return false;
    }
    Optional<UserRow> user = current(subject.toString());
    // (not Optional.map: a null "no mismatch" would read as "no user")
    String reason =
        user.isEmpty() ? "the user no longer exists" : mismatch(claims::get, user.get());
    if (reason != null) {
      log.debug("Refused a token of '{}': {}", subject, reason);
      return false;
    }
    return true;
  }

  /**
   * Whether the user a request was authenticated as still holds what his token said (for a stream
   * opened before a revocation: it ends within the recheck interval).
   */
  public boolean stillHolds(Authentication authentication) {
    Map<String, Object> attributes = authentication.getAttributes();
    Optional<UserRow> user = current(authentication.getName());
    return user.isPresent()
        && mismatch(
                claim ->
                    claim.equals("roles")
                        ? List.copyOf(authentication.getRoles())
                        : attributes.get(claim),
                user.get())
            == null;
  }

  private static String mismatch(Function<String, Object> claims, UserRow row) {
    Object roles = claims.apply("roles");
    if (!(roles instanceof List<?> list) || !list.equals(List.of(row.role()))) {
      return "the user's role is now " + row.role();
    }
    if (!Objects.equals(claims.apply(Viewer.CITY_CLAIM), row.cityId())) {
      return "the user's city is now " + row.cityId();
    }
    if (!Objects.equals(claims.apply(PASSWORD_CLAIM), passwordVersion(row.passwordHash()))) {
      return "the user's password has changed";
    }
    return null;
  }

  private Optional<UserRow> current(String username) {
    Instant now = clock.instant();
    Looked cached = looked.get(username);
    if (cached != null && cached.at().plus(recheckInterval).isAfter(now)) {
      return cached.user();
    }
    Optional<UserRow> user = users.findById(username);
    looked.put(username, new Looked(user, now));
    return user;
  }
}
