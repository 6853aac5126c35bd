package io.envmon.domain.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MqttTopicsTest {

  @Test
  void theLayoutOfTheContract() {
    assertThat(MqttTopics.up("suzhou", "sz-air-001")).isEqualTo("envmon/v1/suzhou/sz-air-001/up");
    assertThat(MqttTopics.rejected("suzhou", "sz-air-001"))
        .isEqualTo("envmon/v1/suzhou/sz-air-001/rejected");
    assertThat(MqttTopics.alerts("suzhou")).isEqualTo("envmon/v1/suzhou/alerts");
    assertThat(MqttTopics.ALL_ALERTS).isEqualTo("envmon/v1/+/alerts");
    assertThat(MqttTopics.ALL_REJECTED).isEqualTo("envmon/v1/+/+/rejected");
    assertThat(MqttTopics.sharedUp("g1", "suzhou")).isEqualTo("$share/g1/envmon/v1/suzhou/+/up");
    assertThat(MqttTopics.defaultSharedGroup("suzhou")).isEqualTo("envmon-suzhou");
  }
}
