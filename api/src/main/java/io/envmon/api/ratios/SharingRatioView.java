package io.envmon.api.ratios;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A city's (or the cluster's) sharing ratio L3P1-A1 at the minute {@code time}, as the ratio job
 * wrote it to InfluxDB {@code sharing_ratio}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SharingRatioView(
    String city,
    String scope,
    Instant time,
    Part air,
    Part water,
    Part noise,
    @Nullable Double score,
    @Nullable String scoreNullReason) {

  /**
   * One kind's part: shared points over planned-or-active points; {@code conditional} counts the
   * CITIES-shared points reported beside the ratio.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Part(
      long numerator,
      long denominator,
      long conditional,
      @Nullable Double value,
      @Nullable String nullReason) {}
}
