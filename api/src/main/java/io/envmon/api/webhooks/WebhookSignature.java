package io.envmon.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery: {@code X-Envmon-Signature: sha256=<hex>}, the lower-case hex
 * HMAC-SHA256, keyed with the webhook's secret (its UTF-8 bytes), of {@code <timestamp>.<body>}:
 * the {@code X-Envmon-Timestamp} header (Unix seconds), a full stop and the exact bytes of the
 * body. A receiver recomputes it over the raw body, compares in constant time, and refuses a
 * timestamp far from its clock (e.g. more than 5 minutes), so a captured request cannot be replayed
 * later.
 */
public final class WebhookSignature {

  public static final String SIGNATURE_HEADER = "X-Envmon-Signature";
  public static final String TIMESTAMP_HEADER = "X-Envmon-Timestamp";
  public static final String EVENT_HEADER = "X-Envmon-Event";
  public static final String EVENT_ID_HEADER = "X-Envmon-Event-Id";
  public static final String DELIVERY_HEADER = "X-Envmon-Delivery";

  private WebhookSignature() {}

  /** {@code sha256=<hex>} of {@code timestamp + "." + body}. */
  public static String sign(String secret, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
