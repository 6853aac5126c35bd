package io.envmon.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final byte[] BODY = "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void signsTimestampDotBodyLikeOpenssl() {
    // printf '%s.%s' 1763683200 '{"id":"a"}' | openssl dgst -sha256 -hmac secret-of-sixteen-chars
    assertThat(WebhookSignature.sign("secret-of-sixteen-chars", 1763683200L, BODY))
        .isEqualTo("sha256=f852d3a45f77e513477e3e33f58c282dc11525d459a7ab0cfa62998b30dbba14");
  }

  @Test
  void anotherTimestampOrSecretGivesAnotherSignature() {
    String signature = WebhookSignature.sign("secret-of-sixteen-chars", 1763683200L, BODY);
    assertThat(WebhookSignature.sign("secret-of-sixteen-chars", 1763683201L, BODY))
        .isNotEqualTo(signature);
    assertThat(WebhookSignature.sign("secret-of-sixteen-chart", 1763683200L, BODY))
        .isNotEqualTo(signature);
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    WebhooksConfiguration configuration =
        new WebhooksConfiguration(
            true,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            8,
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            null);
    assertThat(configuration.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(configuration.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(configuration.backoffAfter(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(configuration.backoffAfter(4)).isEqualTo(Duration.ofSeconds(60));
    assertThat(configuration.backoffAfter(30)).isEqualTo(Duration.ofSeconds(60));
    assertThat(configuration.lease()).isEqualTo(Duration.ofSeconds(25));
  }
}
