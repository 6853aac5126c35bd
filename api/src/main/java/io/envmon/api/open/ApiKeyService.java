package io.envmon.api.open;

import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.api.security.Viewer;
import io.envmon.api.web.Paging;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys of the public API: the coordinator issues, lists and revokes them (403 for everyone
 * else; audited {@code api-key.issue}, {@code api-key.revoke}). A key is {@code
 * envmon-<id>.<secret>} with a 256-bit random secret of which only the SHA-256 is stored; {@link
 * #check} finds the key by its id and compares the hashes in constant time.
 */
@Singleton
public class ApiKeyService {

  /** The header a key travels in. */
  public static final String HEADER = "X-API-Key";

  private static final String PREFIX = "envmon-";
  private static final Pattern KEY =
      Pattern.compile(Pattern.quote(PREFIX) + "([0-9]{1,18})\\.([A-Za-z0-9_-]{43})");

  /** What a request's key turned out to be. */
  public sealed interface Check {
    /** A key in force: the request is limited by the key's own requests per minute. */
    record Valid(ApiKeyRow key) implements Check {}

    /** Not a key in force; {@code reason} is for the caller (401). */
    record Refused(String reason) implements Check {}
  }

  private final ApiKeyRepository keys;
  private final AuditRepository audit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public ApiKeyService(ApiKeyRepository keys, AuditRepository audit, Clock clock) {
    this.keys = keys;
    this.audit = audit;
    this.clock = clock;
  }

  /** Issues a key; the answer holds the whole key, which is not stored and not shown again. */
  @Transactional
  public ApiKeyView issue(Viewer viewer, ApiKeyRequest request) {
    requireCoordinator(viewer);
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    ApiKeyRow row =
        keys.save(
            new ApiKeyRow(
                null,
                request.name().strip(),
                sha256(secret),
                request.requestsPerMinute(),
                clock.instant(),
                viewer.username(),
                null,
                null));
    audit(viewer, "api-key.issue", row);
    return ApiKeyView.issued(row, PREFIX + row.id() + "." + secret);
  }

  /** The keys by id: the page's and one more when another page follows ({@link Paging}). */
  public List<ApiKeyView> list(Viewer viewer, Paging paging) {
    requireCoordinator(viewer);
    return keys.findPage(paging.limit(), paging.offset()).stream().map(ApiKeyView::of).toList();
  }

  /** Revokes a key at once (a key revoked before keeps its first revocation). */
  @Transactional
  public void revoke(Viewer viewer, long id) {
    requireCoordinator(viewer);
    ApiKeyRow row =
        keys.findById(id)
            .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no API key " + id));
    if (row.revoked()) {
      return;
    }
    ApiKeyRow revoked =
        new ApiKeyRow(
            row.id(),
            row.name(),
            row.secretSha256(),
            row.requestsPerMinute(),
            row.createdAt(),
            row.createdBy(),
            clock.instant(),
            viewer.username());
    keys.update(revoked);
    audit(viewer, "api-key.revoke", revoked);
  }

  /** The key a request sent ({@link #HEADER}): in force, or refused with a reason. */
  public Check check(String presented) {
    Matcher matcher = KEY.matcher(presented.strip());
    if (!matcher.matches()) {
      return new Check.Refused(
          "the " + HEADER + " header is not an envmon API key (" + PREFIX + "<id>.<secret>)");
    }
    long id = Long.parseLong(matcher.group(1));
    ApiKeyRow row = keys.findById(id).orElse(null);
    // an unknown id and a wrong secret answer alike: the caller learns nothing of other keys
    if (row == null || !MessageDigest.isEqual(row.secretSha256(), sha256(matcher.group(2)))) {
      return new Check.Refused("unknown API key; ask the coordinator for one");
    }
    if (row.revoked()) {
      return new Check.Refused(
          "API key " + id + " was revoked at " + row.revokedAt() + "; ask the coordinator");
    }
    return new Check.Valid(row);
  }

  private static byte[] sha256(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static void requireCoordinator(Viewer viewer) {
    if (!viewer.isCoordinator()) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN, "only the coordinator issues, lists and revokes API keys");
    }
  }

  private void audit(Viewer viewer, String action, ApiKeyRow row) {
    audit.save(
        new AuditRow(
            null, clock.instant(), viewer.username(), action, "api-key:" + row.id(), row.name()));
  }
}
