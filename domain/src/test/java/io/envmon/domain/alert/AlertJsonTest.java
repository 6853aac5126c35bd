package io.envmon.domain.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import io.envmon.domain.point.PointKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

  private static final Instant START = Instant.parse("2025-11-21T00:00:00Z");

  private static Alert waterAlert() {
    return new Alert(
        Alert.idFor(AlertType.WATER_CLASS, "wujiang-w-01", "wujiang", START),
        AlertType.WATER_CLASS,
        AlertState.RAISED,
        AlertSeverity.MAJOR,
        "wujiang-w-01",
        "wujiang",
        PointKind.WATER,
        Map.of("nh3n", 2.4),
        3.0,
        "section class V is worse than target III",
        "断面水质Ⅴ类，劣于目标Ⅲ类",
        START,
        START,
        null,
        null,
        null);
  }

  @Test
  void aLocalAlertSurvivesTheRoundTrip() throws DecodeException {
    Alert alert = waterAlert();
    assertThat(AlertJson.decode(AlertJson.encode(alert))).isEqualTo(alert);
  }

  @Test
  void aDelayedAlertKeepsBothTimes() throws DecodeException {
    Instant detected = START.plusSeconds(4 * 3600);
    Alert delayed = waterAlert().detected(detected, true, "late", "迟到");
    String json = new String(AlertJson.encode(delayed), StandardCharsets.UTF_8);
    assertThat(json).contains("\"detectedAt\":\"2025-11-21T04:00:00Z\"", "\"delayed\":true");
    Alert decoded = AlertJson.decode(AlertJson.encode(delayed));
    assertThat(decoded).isEqualTo(delayed);
    assertThat(decoded.startedAt()).isEqualTo(START);
  }

  @Test
  void anAlertOnTimeSaysNothingOfDelay() throws DecodeException {
    String json = new String(AlertJson.encode(waterAlert()), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("delayed", "detectedAt");
  }

  @Test
  void aJointAlertKeepsItsOriginAndPath() throws DecodeException {
    Alert joint =
        new Alert(
            Alert.idFor(AlertType.JOINT, "wujiang-w-01", "kunshan", START),
            AlertType.JOINT,
            AlertState.RAISED,
            AlertSeverity.MAJOR,
            "kunshan-w-02",
            "kunshan",
            PointKind.WATER,
            Map.of("nh3n", 2.4),
            null,
            "upstream section wujiang-w-01 is class V",
            null,
            START,
            START.plusSeconds(60),
            "wujiang-w-01",
            "wujiang",
            List.of("wujiang-w-01", "kunshan-w-02"));
    Alert decoded = AlertJson.decode(AlertJson.encode(joint));
    assertThat(decoded).isEqualTo(joint);
    assertThat(decoded.path()).containsExactly("wujiang-w-01", "kunshan-w-02");
  }

  @Test
  void theEpisodeIdIsStableAndDiffersPerReceivingCityForJointAlerts() {
    assertThat(Alert.idFor(AlertType.AIR_QUALITY, "p", "a", START))
        .isEqualTo(Alert.idFor(AlertType.AIR_QUALITY, "p", "b", START));
    assertThat(Alert.idFor(AlertType.JOINT, "p", "a", START))
        .isNotEqualTo(Alert.idFor(AlertType.JOINT, "p", "b", START));
  }

  @Test
  void unknownFieldsAreIgnored() throws DecodeException {
    String json =
        new String(AlertJson.encode(waterAlert()), StandardCharsets.UTF_8)
            .replaceFirst("\\{", "{\"future\":{\"x\":[1,2]},");
    assertThat(AlertJson.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(waterAlert());
  }

  @Test
  void aMissingFieldIsNamed() {
    String json =
        new String(AlertJson.encode(waterAlert()), StandardCharsets.UTF_8)
            .replace("\"state\":\"RAISED\",", "");
    assertThatThrownBy(() -> AlertJson.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class)
        .extracting(e -> ((DecodeException) e).location())
        .isEqualTo("state");
  }

  @Test
  void aWrongTypeIsNamed() {
    String json =
        new String(AlertJson.encode(waterAlert()), StandardCharsets.UTF_8)
            .replace("\"nh3n\":2.4", "\"nh3n\":\"high\"");
    assertThatThrownBy(() -> AlertJson.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class)
        .extracting(e -> ((DecodeException) e).location())
        .isEqualTo("values.nh3n");
  }
}
