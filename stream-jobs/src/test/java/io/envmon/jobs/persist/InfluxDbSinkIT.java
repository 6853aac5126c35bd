package io.envmon.jobs.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertSeverity;
import io.envmon.domain.alert.AlertState;
import io.envmon.domain.alert.AlertType;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.ratio.CityRatios;
import io.envmon.domain.ratio.Ratio;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.Readings;
import io.envmon.jobs.alert.AlertPoints;
import io.envmon.jobs.ratio.SharingRatioJob;
import io.envmon.jobs.ratio.SharingRatioRecord;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The readings sink against the real InfluxDB and its retention policies. */
@WithRealInfrastructure
class InfluxDbSinkIT {

  @Test
  @DisplayName("a reading older than the retention is dropped, the rest of its batch kept")
  void readingBeyondTheRetentionIsDroppedNotFatal(Infrastructure infra) throws Exception {
    String database = "it_sink_" + UUID.randomUUID().toString().replace("-", "");
    // InfluxDB's shortest retention: readings observed more than an hour ago are refused
    InfluxDbSink.setUp(infra.influxUrl(), database, Optional.of(Duration.ofHours(1)));
    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      try {
        Instant recent = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        // the writer sets the database up too: the existing policy is left as it is
        SinkWriter<AcceptedReading> writer =
            PersistJob.influxStore(infra.influxUrl(), database, 10).createWriter(null);
        writer.write(reading(recent.minus(Duration.ofHours(3))), null);
        writer.write(reading(recent), null);
        writer.flush(false);
        writer.close();

        QueryResult policies =
            influx.query(new Query("SHOW RETENTION POLICIES ON \"" + database + "\""));
        List<List<Object>> rows = policies.getResults().get(0).getSeries().get(0).getValues();
        assertThat(rows)
            .anySatisfy(
                row -> {
                  assertThat(row.get(0)).isEqualTo("raw");
                  assertThat(row.get(1)).isEqualTo("1h0m0s");
                  assertThat(row.get(4)).isEqualTo(false);
                })
            .anySatisfy(row -> assertThat(row.get(0)).isEqualTo("forever"));
        QueryResult stored = influx.query(new Query("SELECT pm25 FROM \"raw\".reading", database));
        List<List<Object>> values = stored.getResults().get(0).getSeries().get(0).getValues();
        assertThat(values).hasSize(1);
        assertThat(Instant.parse((String) values.get(0).get(0))).isEqualTo(recent);
      } finally {
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }
  }

  @Test
  @DisplayName("readings go into raw; alerts and sharing ratios into the infinite default policy")
  void onlyReadingsExpire(Infrastructure infra) throws Exception {
    String database = "it_sink_" + UUID.randomUUID().toString().replace("-", "");
    try (InfluxDB influx = InfluxDBFactory.connect(infra.influxUrl())) {
      try {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // the sinks as StreamJobsMain builds them, each setting the database up
        SinkWriter<AcceptedReading> readings =
            PersistJob.influxStore(infra.influxUrl(), database, 10).createWriter(null);
        readings.write(reading(now.minusSeconds(60)), null);
        readings.flush(false);
        readings.close();
        SinkWriter<Alert> alerts =
            AlertPoints.influxHistory(infra.influxUrl(), database).createWriter(null);
        alerts.write(alert(now), null);
        alerts.flush(false);
        alerts.close();
        SinkWriter<SharingRatioRecord> ratios =
            SharingRatioJob.influxHistory(infra.influxUrl(), database).createWriter(null);
        Ratio ratio = new Ratio(1, 2, 1, 0.5, null);
        ratios.write(
            new SharingRatioRecord(
                "city", new CityRatios("qingpu", now, ratio, ratio, ratio, 50.0, null)),
            null);
        ratios.flush(false);
        ratios.close();

        List<List<Object>> policies =
            influx
                .query(new Query("SHOW RETENTION POLICIES ON \"" + database + "\""))
                .getResults()
                .get(0)
                .getSeries()
                .get(0)
                .getValues();
        List<Object> defaultPolicy =
            policies.stream().filter(row -> Boolean.TRUE.equals(row.get(4))).findFirst().get();
        assertThat(defaultPolicy.get(0)).isEqualTo("autogen");
        assertThat(defaultPolicy.get(1)).as("infinite").isEqualTo("0s");
        assertThat(policies)
            .anySatisfy(
                row -> {
                  assertThat(row.get(0)).isEqualTo("raw");
                  assertThat(row.get(1)).isEqualTo("8736h0m0s");
                });
        String kept = "\"" + defaultPolicy.get(0) + "\".";
        assertThat(count(influx, database, "SELECT count(pm25) FROM \"raw\".reading")).isOne();
        assertThat(count(influx, database, "SELECT count(pm25) FROM " + kept + "reading")).isZero();
        for (String measurement : List.of("alert", "sharing_ratio")) {
          assertThat(count(influx, database, "SELECT count(*) FROM " + kept + measurement))
              .as(measurement + " in the default policy")
              .isOne();
          assertThat(count(influx, database, "SELECT count(*) FROM \"raw\"." + measurement))
              .as(measurement + " in raw")
              .isZero();
        }
      } finally {
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }
  }

  /** The rows a query answers (count(...) answers one row, or none over no data). */
  private static int count(InfluxDB influx, String database, String query) {
    QueryResult result = influx.query(new Query(query, database));
    assertThat(result.getResults().get(0).getError()).isNull();
    List<QueryResult.Series> series = result.getResults().get(0).getSeries();
    return series == null ? 0 : series.get(0).getValues().size();
  }

  private static Alert alert(Instant at) {
    return new Alert(
        Alert.idFor(AlertType.AIR_QUALITY, "qingpu-air-01", "qingpu", at),
        AlertType.AIR_QUALITY,
        AlertState.RAISED,
        AlertSeverity.MAJOR,
        "qingpu-air-01",
        "qingpu",
        PointKind.AIR,
        Map.of("aqi", 230.0),
        200.0,
        "AQI 230",
        null,
        at,
        at,
        null,
        null,
        null);
  }

  private static AcceptedReading reading(Instant observed) {
    return Readings.reading(
        "qingpu",
        "qingpu-air-01",
        PointKind.AIR,
        observed,
        new Measurement(Parameter.byCanonicalName("pm25").orElseThrow(), 35.0, DataFlag.N));
  }
}
