package io.envmon.jobs.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.DataFlag;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.jobs.Readings;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
                  assertThat(row.get(4)).isEqualTo(true);
                })
            .anySatisfy(row -> assertThat(row.get(0)).isEqualTo("forever"));
        QueryResult stored = influx.query(new Query("SELECT pm25 FROM reading", database));
        List<List<Object>> values = stored.getResults().get(0).getSeries().get(0).getValues();
        assertThat(values).hasSize(1);
        assertThat(Instant.parse((String) values.get(0).get(0))).isEqualTo(recent);
      } finally {
        influx.query(new Query("DROP DATABASE \"" + database + "\""));
      }
    }
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
