package io.envmon.api.readings;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A point's readings over [from, to): raw rows ({@code interval=raw}) or hourly or daily buckets of
 * the valid (flag N) values, with mean, min, max and count per parameter. In the {@code reviewed}
 * view the values a review mark invalidated are left out; in the {@code raw} view (the point's city
 * and the coordinator only) every stored value is there, each with the review mark in force.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReadingSeries(
    String pointId,
    String kind,
    Instant from,
    Instant to,
    String interval,
    @Schema(
            description =
                "reviewed: invalidated values left out (a reading left without values is left"
                    + " out); raw: every stored value, with its review",
            allowableValues = {"raw", "reviewed"})
        String view,
    @Nullable List<RawReading> readings,
    @Nullable List<Bucket> buckets,
    @Schema(
            description =
                "raw: computed from the raw readings; aggregates: from the stored hourly"
                    + " aggregates (kept indefinitely), with the hours not yet stored and those a"
                    + " review mark cuts computed from the raw readings (docs/api.md, Retention)",
            allowableValues = {"raw", "aggregates"})
        String source) {

  /** One reading as stored: values by canonical parameter name, and their HJ 212 flags. */
  @Serdeable
  public record RawReading(
      Instant time,
      Map<String, Double> values,
      Map<String, String> flags,
      @Nullable String source,
      @Schema(
              description =
                  "raw view: the review mark in force of each value a mark covers, by parameter")
          @Nullable
          Map<String, Review> review) {}

  /** The review mark in force of a value: the last one made that covers it. */
  @Serdeable
  public record Review(
      long markId,
      @Schema(allowableValues = {"INVALID", "VALID"}) String verdict,
      String reason,
      @Nullable String note,
      String by,
      Instant at) {}

  /** One hour or day starting at {@code start} (days start at local midnight of the city). */
  @Serdeable
  public record Bucket(Instant start, Map<String, Stats> values) {}

  @Serdeable
  public record Stats(double mean, double min, double max, long count) {}
}
