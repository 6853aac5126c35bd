package io.envmon.api.ratios;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.readings.InfluxReader;
import io.envmon.api.readings.ReadingLimits;
import io.envmon.api.readings.TimeRange;
import io.envmon.api.registry.CityRepository;
import io.envmon.api.registry.ClusterRepository;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads the sharing ratios the ratio job writes each minute to InfluxDB {@code sharing_ratio} (tags
 * city, scope; fields {@code <kind>_num/_den/_cond/_value/_null_reason}, score, score_null_reason).
 * The scoreboard is shared: every signed-in user sees every city's ratio.
 */
@Singleton
public class SharingRatioService {

  /** "As of T" takes the newest row at or before T within this look-back. */
  static final Duration LOOK_BACK = Duration.ofDays(1);

  private final InfluxReader influx;
  private final CityRepository cities;
  private final ClusterRepository clusters;
  private final ReadingLimits limits;
  private final Clock clock;

  public SharingRatioService(
      InfluxReader influx,
      CityRepository cities,
      ClusterRepository clusters,
      ReadingLimits limits,
      Clock clock) {
    this.influx = influx;
    this.cities = cities;
    this.clusters = clusters;
    this.limits = limits;
    this.clock = clock;
  }

  public SharingRatios at(String atText) {
    Instant at = atText == null ? clock.instant() : TimeRange.instant("at", atText);
    List<SharingRatioView> newest =
        influx
            .query(
                "SELECT * FROM sharing_ratio WHERE time <= "
                    + InfluxReader.nanos(at)
                    + " AND time > "
                    + InfluxReader.nanos(at.minus(LOOK_BACK))
                    + " GROUP BY \"city\", \"scope\" ORDER BY time DESC LIMIT 1",
                Map.of())
            .stream()
            .map(SharingRatioService::view)
            .sorted(Comparator.comparing(SharingRatioView::city))
            .toList();
    return new SharingRatios(
        at,
        newest.stream().filter(r -> r.scope().equals("city")).toList(),
        newest.stream().filter(r -> r.scope().equals("cluster")).toList());
  }

  public List<SharingRatioView> history(String city, String from, String to) {
    if (city == null || city.isBlank()) {
      throw InvalidRequestException.field("city", "a city or cluster id is required");
    }
    if (!cities.existsById(city) && !clusters.existsById(city)) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no city or cluster " + city);
    }
    TimeRange range =
        TimeRange.parse(
            from, to, clock.instant(), Duration.ofDays(1), limits.maxRatioHistoryRange());
    List<InfluxReader.Row> rows =
        influx.query(
            "SELECT * FROM sharing_ratio WHERE \"city\" = $city AND time >= "
                + InfluxReader.nanos(range.from())
                + " AND time < "
                + InfluxReader.nanos(range.to())
                + " ORDER BY time ASC LIMIT "
                + (limits.maxRows() + 1),
            Map.of("city", city));
    if (rows.size() > limits.maxRows()) {
      throw InvalidRequestException.field(
          "to", "more than " + limits.maxRows() + " ratios in the range; narrow it");
    }
    return rows.stream().map(SharingRatioService::view).toList();
  }

  private static SharingRatioView view(InfluxReader.Row row) {
    Map<String, Object> c = row.columns();
    String city = row.tags().getOrDefault("city", (String) c.get("city"));
    String scope = row.tags().getOrDefault("scope", (String) c.get("scope"));
    return new SharingRatioView(
        city,
        scope,
        row.time(),
        part(c, "air"),
        part(c, "water"),
        part(c, "noise"),
        number(c.get("score")),
        text(c.get("score_null_reason")));
  }

  private static SharingRatioView.Part part(Map<String, Object> columns, String kind) {
    return new SharingRatioView.Part(
        whole(columns.get(kind + "_num")),
        whole(columns.get(kind + "_den")),
        whole(columns.get(kind + "_cond")),
        number(columns.get(kind + "_value")),
        text(columns.get(kind + "_null_reason")));
  }

  private static long whole(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }

  private static Double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : null;
  }

  private static String text(Object value) {
    return value == null || value.toString().isEmpty() ? null : value.toString();
  }
}
