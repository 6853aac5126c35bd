package io.envmon.api.readings;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.time.Instant;
import java.util.List;
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
}
