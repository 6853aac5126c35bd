package io.envmon.api.bench;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The API benchmarks' city "bench" of N points (60 % air, 25 % water sections, 15 % noise), its
 * registry data file (a viewer {@code bench-viewer}) and its stations' readings.
 */
final class BenchCity {

  private final int points;
  private final Random random = new Random(7);

  BenchCity(int points) {
    this.points = points;
  }

  /** A value as a station reports it: to {@code decimals} places (HJ 212 data are decimals). */
  private double measured(double low, double high, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round((low + random.nextDouble() * (high - low)) * scale) / scale;
  }

  AcceptedReading reading(int index, PointKind kind, Instant time) {
    String pointId = pointId(index);
    List<Measurement> values = new ArrayList<>();
    switch (kind) {
      case AIR -> {
        values.add(Measurement.valid(Parameter.PM25, measured(20, 220, 0)));
        values.add(Measurement.valid(Parameter.PM10, measured(40, 340, 0)));
        values.add(Measurement.valid(Parameter.SO2, measured(5, 65, 0)));
        values.add(Measurement.valid(Parameter.NO2, measured(10, 100, 0)));
        values.add(Measurement.valid(Parameter.O3, measured(20, 220, 0)));
        values.add(Measurement.valid(Parameter.CO, measured(0.3, 2.3, 1)));
      }
      case WATER -> {
        values.add(Measurement.valid(Parameter.PH, measured(6.8, 7.8, 2)));
        values.add(Measurement.valid(Parameter.DO, measured(4, 8, 2)));
        values.add(Measurement.valid(Parameter.CODMN, measured(2, 8, 1)));
        values.add(Measurement.valid(Parameter.NH3N, measured(0.2, 1.5, 3)));
        values.add(Measurement.valid(Parameter.TP, measured(0.05, 0.25, 3)));
        values.add(Measurement.valid(Parameter.TEMP, measured(15, 20, 1)));
      }
      case NOISE -> {
        values.add(Measurement.valid(Parameter.LEQ, measured(45, 70, 1)));
        values.add(Measurement.valid(Parameter.LMAX, measured(70, 90, 1)));
      }
    }
    return new AcceptedReading(
        new Reading(Reading.idFor(pointId, time), pointId, time, values, Source.MQTT),
        "bench",
        kind,
        "bench-gw-1",
        0,
        time);
  }

  PointKind kindOf(int index) {
    int slot = index % 20;
    return slot < 12 ? PointKind.AIR : slot < 17 ? PointKind.WATER : PointKind.NOISE;
  }

  String pointId(int index) {
    return "bench-" + kindOf(index).name().toLowerCase() + "-" + String.format("%04d", index);
  }

  /** A registry data file: the city "bench" with its points and a viewer. */
  String clusterJson() {
    StringBuilder json = new StringBuilder();
    json.append("{\"cluster\":{\"id\":\"bench-cluster\",\"name\":\"bench\",\"nameEn\":\"bench\"},");
    json.append(
        "\"cities\":[{\"id\":\"bench\",\"name\":\"bench\",\"nameEn\":\"bench\","
            + "\"timeZone\":\"Asia/Shanghai\",\"neighbours\":[]}],\"points\":[");
    for (int i = 0; i < points; i++) {
      PointKind kind = kindOf(i);
      if (i > 0) {
        json.append(',');
      }
      json.append("{\"id\":\"")
          .append(pointId(i))
          .append("\",\"cityId\":\"bench\",\"kind\":\"")
          .append(kind.name())
          .append("\",\"name\":\"")
          .append(pointId(i))
          .append("\",\"nameEn\":\"")
          .append(pointId(i))
          .append("\",\"lat\":31.0,\"lon\":121.0,\"status\":\"ACTIVE\",\"sharing\":\"CLUSTER\"");
      switch (kind) {
        case WATER ->
            json.append(
                ",\"river\":\"bench\",\"important\":true,\"targetClass\":\"III\","
                    + "\"waterBody\":\"RIVER\",\"downstream\":[]");
        case NOISE -> json.append(",\"zone\":\"2\"");
        case AIR -> {}
      }
      json.append('}');
    }
    json.append(
        "],\"users\":[{\"username\":\"bench-viewer\",\"password\":\"demo-bench-viewer\","
            + "\"role\":\"viewer\",\"city\":\"bench\"}]}");
    return json.toString();
  }
}
