package io.envmon.domain.point;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.DecodeException;
import io.envmon.domain.Fuzz;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.water.WaterClass;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Registry records on Kafka envmon.points.v1")
class MonitoringPointJsonTest {

  private static final MonitoringPoint SECTION =
      new MonitoringPoint(
          "wujiang-water-taipu-01",
          "wujiang",
          PointKind.WATER,
          "太浦河吴江段",
          "Taipu River, Wujiang",
          31.0,
          120.6,
          PointStatus.ACTIVE,
          SharingScope.CITIES,
          Set.of("qingpu", "jiashan"),
          new WaterAttributes(
              "taipu", true, WaterClass.III, WaterBody.RIVER, List.of("qingpu-water-taipu-01")),
          null);

  private static final MonitoringPoint NOISE =
      new MonitoringPoint(
          "qingpu-noise-01",
          "qingpu",
          PointKind.NOISE,
          "青浦噪声1",
          null,
          31.15,
          121.12,
          PointStatus.PLANNED,
          SharingScope.PRIVATE,
          Set.of(),
          null,
          NoiseZone.Z4A);

  private static MonitoringPoint roundTrip(MonitoringPoint point) throws DecodeException {
    return MonitoringPointJson.decode(MonitoringPointJson.encode(point));
  }

  @Test
  void aWaterSectionRoundTripsWithItsTopology() throws DecodeException {
    assertThat(roundTrip(SECTION)).isEqualTo(SECTION);
  }

  @Test
  void aNoisePointRoundTripsWithItsZoneCode() throws DecodeException {
    assertThat(new String(MonitoringPointJson.encode(NOISE), StandardCharsets.UTF_8))
        .contains("\"zone\":\"4a\"");
    assertThat(roundTrip(NOISE)).isEqualTo(NOISE);
  }

  @Test
  void theTopicRecordCarriesItsCitysZoneAndNightAndOlderRecordsNone() throws DecodeException {
    CityTime city =
        new CityTime(java.time.ZoneId.of("Asia/Shanghai"), NightWindow.parse("23:00-07:00"));
    byte[] record = MonitoringPointJson.encode(NOISE, city);
    assertThat(new String(record, StandardCharsets.UTF_8))
        .contains(
            "\"city\":{\"timeZone\":\"Asia/Shanghai\",\"nightStart\":\"23:00\",\"nightEnd\":\"07:00\"}");
    assertThat(MonitoringPointJson.decodeRecord(record))
        .isEqualTo(new MonitoringPointJson.Registered(NOISE, city));
    assertThat(MonitoringPointJson.decode(record)).isEqualTo(NOISE);
    assertThat(MonitoringPointJson.decodeRecord(MonitoringPointJson.encode(NOISE)).city()).isNull();
  }

  @Test
  void aCityNightThatIsNotEightHoursIsRefusedNamingTheCity() {
    byte[] json =
        new String(MonitoringPointJson.encode(NOISE), StandardCharsets.UTF_8)
            .replace(
                "}",
                ",\"city\":{\"timeZone\":\"Asia/Shanghai\",\"nightStart\":\"22:00\",\"nightEnd\":\"07:00\"}}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> MonitoringPointJson.decodeRecord(json))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("city")
        .hasMessageContaining("8 hours");
  }

  @Test
  void aMissingWaterFieldIsNamed() {
    byte[] json =
        new String(MonitoringPointJson.encode(SECTION), StandardCharsets.UTF_8)
            .replace("\"targetClass\"", "\"target\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> MonitoringPointJson.decode(json))
        .isInstanceOfSatisfying(
            DecodeException.class, e -> assertThat(e.location()).isEqualTo("targetClass"));
  }

  @Test
  void aRecordBreakingAnInvariantIsRefusedWithTheReason() {
    byte[] json =
        new String(MonitoringPointJson.encode(SECTION), StandardCharsets.UTF_8)
            .replace("\"CITIES\"", "\"CLUSTER\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> MonitoringPointJson.decode(json))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("sharedWith");
  }

  @Test
  void anyBytesGiveADecodeExceptionOrAPointNeverAnotherException() {
    List<byte[]> corpus = List.of(MonitoringPointJson.encode(SECTION));
    Fuzz.Outcome outcome =
        Fuzz.run(
            "MonitoringPointJson",
            Fuzz.seed(8428L),
            Fuzz.iterations(20_000),
            random -> Fuzz.mutate(random, corpus),
            MonitoringPointJson::decode);
    assertThat(outcome.rejected()).isPositive();
  }
}
