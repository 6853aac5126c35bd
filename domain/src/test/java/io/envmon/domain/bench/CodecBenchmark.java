package io.envmon.domain.bench;

import io.envmon.domain.JsonFields;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlReadingDecoder;
import io.envmon.domain.senml.SenmlReadingEncoder;
import io.envmon.domain.wire.LineProtocol;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * {@code ./envmon bench codec}: CPU nanoseconds per reading of the codec steps every reading goes
 * through on its way (docs/performance.md "The codecs"): the station's SenML decoded at the
 * gateway, its id ({@link Reading#idFor}), the accepted reading encoded for the spool and Kafka and
 * decoded again by the jobs and the API, its InfluxDB line (ours beside influxdb-java's {@code
 * Point}), and the instant fields alone. One thread, after a warm-up; the JDK's own {@code
 * Instant.parse} / {@code toString} beside ours, in the same run.
 */
public final class CodecBenchmark {

  private static final int READINGS = 4096;

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Instant t0 = Instant.parse("2026-12-03T02:00:00Z");
    List<AcceptedReading> readings = new ArrayList<>(READINGS);
    List<byte[]> encoded = new ArrayList<>(READINGS);
    List<byte[]> senml = new ArrayList<>(READINGS);
    List<String> instants = new ArrayList<>(READINGS);
    for (int i = 0; i < READINGS; i++) {
      Instant at = t0.plusSeconds(60L * i).plusMillis(i % 7 == 0 ? 0 : 123);
      String point = "wujiang-air-" + (i % 100);
      Reading reading =
          new Reading(
              Reading.idFor(point, at),
              point,
              at,
              List.of(
                  Measurement.valid(Parameter.PM25, 35 + i % 40),
                  Measurement.valid(Parameter.PM10, 60 + i % 50),
                  Measurement.valid(Parameter.NO2, 20 + i % 30),
                  Measurement.valid(Parameter.O3, 80 + i % 60)),
              Source.MQTT);
      AcceptedReading accepted =
          new AcceptedReading(reading, "wujiang", PointKind.AIR, "gw-1", i, at.plusMillis(250));
      readings.add(accepted);
      encoded.add(AcceptedReadingJson.encode(accepted));
      senml.add(SenmlReadingEncoder.toJson(reading));
      instants.add(at.toString());
    }
    SenmlReadingDecoder senmlDecoder =
        new SenmlReadingDecoder(Clock.fixed(t0.plusSeconds(86_400L * 30), ZoneOffset.UTC));
    LineProtocol line = new LineProtocol();
    List<Step> steps =
        List.of(
            new Step(
                "SenML JSON decode (gateway)",
                i ->
                    senmlDecoder
                        .decodeJson(senml.get(i), readings.get(i).reading().pointId(), Source.MQTT)
                        .readings()
                        .size()),
            new Step(
                "Reading.idFor",
                i ->
                    Reading.idFor(
                            readings.get(i).reading().pointId(),
                            readings.get(i).reading().observedAt())
                        .length()),
            new Step(
                "AcceptedReadingJson.encode",
                i -> AcceptedReadingJson.encode(readings.get(i)).length),
            new Step(
                "AcceptedReadingJson.decode",
                i -> AcceptedReadingJson.decode(encoded.get(i)).gatewaySequence() > 0 ? 1 : 0),
            new Step(
                "InfluxDB line (wire.LineProtocol)",
                i -> {
                  line.clear();
                  AcceptedReading a = readings.get(i);
                  line.measurement("reading")
                      .tag("city", a.cityId())
                      .tag("kind", a.kind().name())
                      .tag("point", a.reading().pointId())
                      .field("reading_id", a.reading().readingId())
                      .field("source", a.reading().source().name());
                  for (Measurement m : a.reading().measurements()) {
                    line.field(m.parameter().canonicalName(), m.value());
                    line.field(m.parameter().canonicalName() + "_flag", m.flag().name());
                  }
                  return line.time(a.reading().observedAt().toEpochMilli()).text().length();
                }),
            new Step(
                "InfluxDB line (influxdb-java Point)",
                i -> {
                  AcceptedReading a = readings.get(i);
                  Point.Builder point =
                      Point.measurement("reading")
                          .time(a.reading().observedAt().toEpochMilli(), TimeUnit.MILLISECONDS)
                          .tag("city", a.cityId())
                          .tag("kind", a.kind().name())
                          .tag("point", a.reading().pointId())
                          .addField("reading_id", a.reading().readingId())
                          .addField("source", a.reading().source().name());
                  for (Measurement m : a.reading().measurements()) {
                    point.addField(m.parameter().canonicalName(), m.value());
                    point.addField(m.parameter().canonicalName() + "_flag", m.flag().name());
                  }
                  return point.build().lineProtocol().length();
                }),
            new Step("JsonFields.instant", i -> JsonFields.instant(instants.get(i), "t").getNano()),
            new Step("JDK Instant.parse", i -> Instant.parse(instants.get(i)).getNano()),
            new Step(
                "JsonFields.isoInstant",
                i -> JsonFields.isoInstant(readings.get(i).reading().observedAt()).length()),
            new Step(
                "JDK Instant.toString",
                i -> readings.get(i).reading().observedAt().toString().length()));
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    System.out.printf("%-32s %14s%n", "step", "ns per reading");
    for (Step step : steps) {
      long sink = 0;
      for (int r = 0; r < Math.max(20, rounds / 4); r++) { // warm-up
        sink += run(step.body());
      }
      long cpu0 = threads.getCurrentThreadCpuTime();
      for (int r = 0; r < rounds; r++) {
        sink += run(step.body());
      }
      long cpu = threads.getCurrentThreadCpuTime() - cpu0;
      System.out.printf(
          "%-32s %14.0f%s%n",
          step.name(), (double) cpu / ((long) rounds * READINGS), sink == 42 ? " " : "");
    }
  }

  private static long run(Body body) throws Exception {
    long sink = 0;
    for (int i = 0; i < READINGS; i++) {
      sink += body.apply(i);
    }
    return sink;
  }

  @FunctionalInterface
  interface Body {
    int apply(int index) throws Exception;
  }

  record Step(String name, Body body) {}
}
