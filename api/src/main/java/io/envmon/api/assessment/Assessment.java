package io.envmon.api.assessment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.envmon.api.ratios.SharingRatioView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * Indicator L3P1-A1 of a city (or the cluster) as of {@code at}, with its evidence: every point of
 * the city and whether and why it counted. The parts are named as in {@code /sharing-ratios}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Assessment(
    Instant at,
    String id,
    String scope,
    String name,
    @Nullable Double score,
    @Nullable String scoreNullReason,
    SharingRatioView.Part air,
    SharingRatioView.Part water,
    SharingRatioView.Part noise,
    Sources sources,
    @Nullable SharingRatioView scoreboard,
    @Nullable Boolean agreesWithScoreboard,
    List<PointEvidence> points) {

  /** Where the planned totals, the registry and the readings of the assessment come from. */
  @Serdeable
  public record Sources(
      String plannedTotals,
      String registry,
      List<String> pointsWithoutHistory,
      String readings,
      String freshnessWindows) {}

  /**
   * One point: in the denominator (the planned total) or not, counted in the numerator, counted
   * beside it as conditional sharing, the reason, and its last valid reading at or before T.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PointEvidence(
      String id,
      String cityId,
      String kind,
      String name,
      @Nullable String nameEn,
      String status,
      String sharing,
      List<String> sharedWith,
      @Nullable Boolean importantSection,
      boolean inDenominator,
      boolean counted,
      boolean conditional,
      Reason reason,
      Instant windowStart,
      @Nullable LastValidReading lastValidReading,
      String registry) {}

  /** Why a point counted or did not: a code and the text in English and Chinese. */
  @Serdeable
  public record Reason(String code, String text, String textZh) {}

  /**
   * The newest reading with a valid, not invalidated value observed at or before T. envmon does not
   * store a reading's arrival (receivedAt) in InfluxDB, so {@code receivedAt} is absent and {@code
   * receivedAtNote} says so.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LastValidReading(
      Instant observedAt, @Nullable Instant receivedAt, String receivedAtNote) {}
}
