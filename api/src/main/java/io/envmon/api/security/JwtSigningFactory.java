package io.envmon.api.security;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.jwt.signature.SignatureGeneratorConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Named;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS256 key that signs and checks tokens: {@code envmon.security.jwt-secret} (at least 32
 * characters), or, when it is not configured, a random one generated at start and printed once —
 * tokens then last only as long as this process.
 */
@Factory
class JwtSigningFactory {

  private static final Logger log = LoggerFactory.getLogger(JwtSigningFactory.class);

  @Context // created at start, so a generated key is printed at start
  @Named("generator")
  SignatureGeneratorConfiguration signature(
      @Nullable @Value("${envmon.security.jwt-secret:}") String configured) {
    String secret = configured;
    if (secret == null || secret.isBlank()) {
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      log.warn(
          "No envmon.security.jwt-secret configured: generated this one for this run (set it"
              + " as ENVMON_JWT_SECRET to keep tokens valid across restarts): {}",
          secret);
    } else if (secret.length() < 32) {
      throw new IllegalStateException(
          "envmon.security.jwt-secret must have at least 32 characters");
    }
    SecretSignatureConfiguration configuration = new SecretSignatureConfiguration("generator");
    configuration.setSecret(secret);
    return new SecretSignature(configuration);
  }
}
