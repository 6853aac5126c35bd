package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.point.WaterBody;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.review.PointReview;
import io.envmon.domain.review.ReviewMark;
import io.envmon.domain.review.ReviewReason;
import io.envmon.domain.review.Verdict;
import io.envmon.domain.water.WaterClass;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PointReadingsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private static RecentReading pm25(int minute, double value) {
    Instant time = T0.plusSeconds(60L * minute);
    return RecentReading.of(
        new AcceptedReading(
            new Reading(
                Reading.idFor("p", time),
                "p",
                time,
                List.of(Measurement.valid(Parameter.PM25, value)),
                Source.MQTT),
            "c",
            PointKind.AIR,
            "gw",
            0,
            time));
  }

  private static List<Integer> minutes(List<RecentReading> readings) {
    return readings.stream()
        .map(r -> (int) ((r.timeMillis() - T0.toEpochMilli()) / 60_000))
        .toList();
  }

  private static long at(int minute) {
    return T0.plusSeconds(60L * minute).toEpochMilli();
  }

  @Test
  @DisplayName("readings in any order come back newest first, bounds included")
  void newestFirstWithinBounds() {
    PointReadings readings = new PointReadings();
    for (int minute : new int[] {5, 1, 3, 9, 7, 2, 40, 0}) {
      assertThat(readings.add(pm25(minute, minute))).isTrue();
    }
    assertThat(minutes(readings.newestFirst(PointKind.AIR, at(2), at(9))))
        .containsExactly(9, 7, 5, 3, 2);
    assertThat(minutes(readings.newestFirst(PointKind.AIR, at(4), at(8)))).containsExactly(7, 5);
    assertThat(minutes(readings.newestFirst(PointKind.AIR, at(-10), at(100))))
        .containsExactly(40, 9, 7, 5, 3, 2, 1, 0);
    assertThat(readings.newestFirst(PointKind.AIR, at(41), at(50))).isEmpty();
    assertThat(readings.newestFirst(PointKind.AIR, at(10), at(20))).isEmpty();
    assertThat(readings.newestFirst(PointKind.WATER, at(0), at(100))).isEmpty();
  }

  @Test
  @DisplayName("many readings grow the array; a reading of a kept time is laid over it")
  void growsAndOverwrites() {
    PointReadings readings = new PointReadings();
    for (int minute = 0; minute < 500; minute++) {
      readings.add(pm25(minute, 1));
    }
    assertThat(readings.add(pm25(250, 99))).isFalse();
    List<RecentReading> all = readings.newestFirst(PointKind.AIR, at(0), at(499));
    assertThat(all).hasSize(500);
    assertThat(all.get(499 - 250).value(0)).isEqualTo(99);
  }

  @Test
  @DisplayName("pruning drops the readings older than what is kept, and only those")
  void prunes() {
    PointReadings readings = new PointReadings();
    for (int minute = 0; minute < 30; minute++) {
      readings.add(pm25(minute, 1));
    }
    assertThat(readings.prune(kind -> at(10))).isEqualTo(10);
    assertThat(minutes(readings.newestFirst(PointKind.AIR, at(0), at(12))))
        .containsExactly(12, 11, 10);
    assertThat(readings.prune(kind -> at(100))).isEqualTo(20);
    assertThat(readings.isEmpty()).isTrue();
  }

  private static final MonitoringPoint AIR = point(PointKind.AIR, "p");

  private static MonitoringPoint point(PointKind kind, String name) {
    return new MonitoringPoint(
        "pt-1",
        "c1",
        kind,
        name,
        "p",
        31.0,
        121.0,
        PointStatus.ACTIVE,
        SharingScope.CLUSTER,
        Set.of(),
        kind == PointKind.WATER
            ? new WaterAttributes("r", true, WaterClass.III, WaterBody.RIVER, List.of())
            : null,
        kind == PointKind.NOISE ? NoiseZone.Z2 : null);
  }

  private static LatestReading fresh(PointReadings readings, MonitoringPoint point, Instant now) {
    long from = LatestCalculator.from(point.kind(), now).toEpochMilli();
    return LatestCalculator.latest(
        point, readings.newestFirst(point.kind(), from, now.toEpochMilli()), now, () -> ZONE);
  }

  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  @Test
  @DisplayName(
      "the latest answer is reused until a reading, the hour or a future reading changes it")
  void answersAreReusedWhileTheyHold() {
    PointReadings readings = new PointReadings();
    for (int minute = 0; minute < 60; minute++) {
      readings.add(pm25(minute, 150 + minute % 5));
    }
    readings.add(pm25(65, 300));
    readings.add(pm25(80, 90)); // a station clock ahead: stamped in the future of "now" below
    Instant now = T0.plusSeconds(60 * 70);
    LatestReading first = readings.latest(AIR, now, ZONE);
    assertThat(first).isEqualTo(fresh(readings, AIR, now));
    assertThat(first.time()).isEqualTo(T0.plusSeconds(60 * 65));
    // a second later: the same answer object
    assertThat(readings.latest(AIR, now.plusSeconds(1), ZONE)).isSameAs(first);
    // the future reading comes within "now": recomputed
    Instant later = T0.plusSeconds(60 * 80);
    LatestReading withFuture = readings.latest(AIR, later, ZONE);
    assertThat(withFuture).isNotSameAs(first).isEqualTo(fresh(readings, AIR, later));
    assertThat(withFuture.time()).isEqualTo(T0.plusSeconds(60 * 80));
    // a new reading: recomputed
    readings.add(pm25(81, 50));
    Instant afterNew = T0.plusSeconds(60 * 82);
    LatestReading afterAdd = readings.latest(AIR, afterNew, ZONE);
    assertThat(afterAdd.time()).isEqualTo(T0.plusSeconds(60 * 81));
    // the hour turns: the hourly AQI moves to the next hour
    Instant nextHour = T0.plusSeconds(60 * 121);
    LatestReading turned = readings.latest(AIR, nextHour, ZONE);
    assertThat(turned).isEqualTo(fresh(readings, AIR, nextHour));
    assertThat(turned.air().hourStart()).isEqualTo(T0.plusSeconds(3600));
    // another registry record of the point (renamed): recomputed
    MonitoringPoint renamed = point(PointKind.AIR, "renamed");
    assertThat(readings.latest(renamed, nextHour, ZONE).name()).isEqualTo("renamed");
  }

  @Test
  @DisplayName(
      "a review mark leaves the invalidated values out of latest and of its hourly AQI, at once")
  void reviewedValuesAreLeftOut() {
    PointReadings readings = new PointReadings();
    readings.add(pm25(10, 40));
    readings.add(pm25(50, 400));
    Instant now = T0.plusSeconds(60 * 65);
    LatestReading raw = readings.latest(AIR, now, ZONE);
    assertThat(raw.values()).containsEntry("pm25", 400.0);
    PointReview review =
        new PointReview(
            List.of(
                new ReviewMark(
                    1,
                    "p",
                    T0.plusSeconds(60 * 50),
                    T0.plusSeconds(60 * 51),
                    null,
                    Verdict.INVALID,
                    ReviewReason.INSTRUMENT_FAULT,
                    null,
                    now,
                    "c-bureau")));
    LatestReading reviewed =
        readings.latest(AIR, now, ZONE, NightWindow.DEFAULT, AqiStandardSchedule.DEFAULT, review);
    assertThat(reviewed.time()).isEqualTo(T0.plusSeconds(60 * 10));
    assertThat(reviewed.values()).containsEntry("pm25", 40.0);
    assertThat(reviewed.air().iaqi().get("pm25")).isLessThan(raw.air().iaqi().get("pm25"));
  }

  @Test
  @DisplayName(
      "a back-filled reading (HJ 212-2025 RF=1) received after a newer one never becomes latest")
  void aBackfilledReadingDoesNotReplaceANewerLatest() {
    PointReadings readings = new PointReadings();
    readings.add(pm25(30, 80));
    Instant observed = T0.plusSeconds(60 * 10);
    RecentReading backfilled =
        RecentReading.of(
            new AcceptedReading(
                new Reading(
                    Reading.idFor("p", observed),
                    "p",
                    observed,
                    List.of(Measurement.valid(Parameter.PM25, 300)),
                    Source.HJ212,
                    true),
                "c",
                PointKind.AIR,
                "gw",
                1,
                T0.plusSeconds(60 * 35))); // received after the newer reading
    assertThat(readings.add(backfilled)).isTrue();
    Instant now = T0.plusSeconds(60 * 36);
    LatestReading latest = readings.latest(AIR, now, ZONE);
    assertThat(latest.time()).isEqualTo(T0.plusSeconds(60 * 30));
    assertThat(minutes(readings.newestFirst(PointKind.AIR, at(0), at(40)))).containsExactly(30, 10);
  }

  @Test
  @DisplayName("as time goes on and readings come, the reused answer is always the fresh one")
  void reusedAnswersEqualFreshOnes() {
    Random random = new Random(20261201);
    for (PointKind kind : PointKind.values()) {
      MonitoringPoint point = point(kind, "p");
      PointReadings readings = new PointReadings();
      int minute = 0;
      int checked = 0;
      int reused = 0;
      while (minute < 3 * 24 * 60) {
        if (random.nextInt(3) == 0) {
          // a reading now-ish, sometimes late, sometimes a station clock ahead
          int at = minute + random.nextInt(40) - 30;
          readings.add(reading(kind, at, random));
        }
        minute += 1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 15);
        Instant now = T0.plusSeconds(60L * minute + random.nextInt(60));
        LatestReading answer = readings.latest(point, now, ZONE);
        assertThat(answer)
            .as("%s at minute %d", kind, minute)
            .isEqualTo(fresh(readings, point, now));
        Instant soon = now.plusMillis(1 + random.nextInt(120_000));
        LatestReading later = readings.latest(point, soon, ZONE);
        assertThat(later).as("%s at %s", kind, soon).isEqualTo(fresh(readings, point, soon));
        reused += later == answer ? 1 : 0;
        checked++;
      }
      assertThat(checked).isGreaterThan(150);
      assertThat(reused).as("answers reused (%s)", kind).isGreaterThan(checked / 2);
    }
  }

  private static RecentReading reading(PointKind kind, int minute, Random random) {
    Instant time = T0.plusSeconds(60L * minute);
    List<Parameter> parameters = RecentReading.parametersOf(kind);
    List<Measurement> values = new ArrayList<>();
    for (Parameter parameter : parameters) {
      if (random.nextInt(3) > 0) {
        double value =
            parameter == Parameter.PH
                ? 6 + random.nextDouble() * 3
                : kind == PointKind.NOISE ? 40 + random.nextInt(40) : random.nextInt(300) / 10.0;
        values.add(
            new Measurement(parameter, value, random.nextInt(6) == 0 ? DataFlag.D : DataFlag.N));
      }
    }
    return RecentReading.of(
        new AcceptedReading(
            new Reading(Reading.idFor("p", time), "p", time, values, Source.MQTT),
            "c",
            kind,
            "gw",
            0,
            time));
  }
}
