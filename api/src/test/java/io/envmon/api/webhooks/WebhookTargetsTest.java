package io.envmon.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

  private static WebhookTargets allowing(String... networks) {
    return new WebhookTargets(
        new WebhooksConfiguration(
            true,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            8,
            Duration.ofSeconds(10),
            Duration.ofHours(1),
            List.of(networks)));
  }

  @Test
  void internalAddressesAreNamedByKind() throws Exception {
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("127.0.0.1")))
        .isEqualTo("loopback");
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("10.0.0.8"))).isEqualTo("private");
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("172.31.255.1")))
        .isEqualTo("private");
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("169.254.169.254")))
        .isEqualTo("link-local");
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("100.64.3.1")))
        .isEqualTo("private or reserved");
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("fd12::1")))
        .isEqualTo("private or reserved");
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("::ffff:127.0.0.1")))
        .isEqualTo("loopback");
    // public: 172.32/16 is outside 172.16/12, and a documentation-free public address
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("172.32.0.1"))).isNull();
    assertThat(WebhookTargets.internalKind(InetAddress.getByName("114.114.114.114"))).isNull();
  }

  @Test
  void anAllowedNetworkOpensOnlyItself() {
    WebhookTargets targets = allowing("10.8.0.0/16", "127.0.0.1");
    assertThat(targets.refusal(URI.create("http://10.8.4.2/alarm"))).isEmpty();
    assertThat(targets.refusal(URI.create("http://127.0.0.1:8080/x"))).isEmpty();
    assertThat(targets.refusal(URI.create("http://10.9.0.1/alarm")))
        .hasValueSatisfying(
            reason ->
                assertThat(reason)
                    .contains("10.9.0.1", "private", "envmon.webhooks.allowed-targets"));
    assertThat(targets.refusal(URI.create("http://127.0.0.2/x"))).isPresent();
  }

  @Test
  void anAllowListEntryThatIsNotAnAddressStopsTheStartWithItsReason() {
    assertThatThrownBy(() -> allowing("alarm.internal"))
        .hasMessageContaining("'alarm.internal' is not an IP address or network");
    assertThatThrownBy(() -> allowing("10.0.0.0/33")).hasMessageContaining("10.0.0.0/33");
  }
}
