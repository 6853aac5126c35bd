package io.envmon.api.readings;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A point's readings over [from, to): raw rows ({@code interval=raw}) or hourly or daily buckets of
 * the valid (flag N) values, with mean, min, max and count per parameter.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReadingSeries(
    String pointId,
    String kind,
    Instant from,
    Instant to,
    String interval,
    @Nullable List<RawReading> readings,
    @Nullable List<Bucket> buckets) {

  /** One reading as stored: values by canonical parameter name, and their HJ 212 flags. */
  @Serdeable
  public record RawReading(
      Instant time,
      Map<String, Double> values,
      Map<String, String> flags,
      @Nullable String source) {}

  /** One hour or day starting at {@code start} (days start at local midnight of the city). */
  @Serdeable
  public record Bucket(Instant start, Map<String, Stats> values) {}

  @Serdeable
  public record Stats(double mean, double min, double max, long count) {}
}
