package io.envmon.api.export;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.readings.InfluxReader;
import io.envmon.api.readings.LatestReading;
import io.envmon.api.readings.ReadingSeries;
import io.envmon.api.readings.ReadingsService;
import io.envmon.api.readings.TimeRange;
import io.envmon.api.registry.PointService;
import io.envmon.api.review.ReviewService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.review.PointReview;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Exports of readings (CSV or NDJSON, raw rows or hourly or daily buckets) and of points with their
 * latest values (GeoJSON). The request is checked whole before the first byte; then the body is
 * made point by point and, for raw rows, page by page ({@link ExportLimits#pageRows()} stored rows
 * at a time) as the client reads it, so a year of a city takes the memory of one page. Every row is
 * one the viewer may see, in the view asked for (review applied as in {@link ReadingsService}).
 */
@Singleton
public class ReadingsExport {

  /** How readings are written. */
  public enum Format {
    CSV("text/csv; charset=utf-8", "csv"),
    NDJSON("application/x-ndjson", "ndjson");

    public final String contentType;
    public final String extension;

    Format(String contentType, String extension) {
      this.contentType = contentType;
      this.extension = extension;
    }
  }

  /** An export checked and ready to stream: its file name, media type and body. */
  public record Export(String fileName, Format format, InputStream body) {}

  private static final int MAX_LISTED_POINTS = 500;

  private final PointService points;
  private final ReadingsService readings;
  private final ReviewService reviews;
  private final ExportLimits limits;
  private final Clock clock;
  private final JsonMapper json;

  public ReadingsExport(
      PointService points,
      ReadingsService readings,
      ReviewService reviews,
      ExportLimits limits,
      Clock clock,
      JsonMapper json) {
    this.points = points;
    this.readings = readings;
    this.reviews = reviews;
    this.limits = limits;
    this.clock = clock;
    this.json = json;
  }

  /**
   * The readings of one kind of the visible points of a city (or of all cities), or of the points
   * listed, over [from, to).
   *
   * @param pointIds comma-separated point ids; each must be visible (404) and of the kind (400)
   */
  public Export readings(
      Viewer viewer,
      String cityId,
      String kindText,
      String pointIds,
      String fromText,
      String toText,
      String intervalText,
      String viewText,
      String formatText) {
    Format format = format(formatText);
    PointKind kind = kind(kindText);
    String view = viewText == null ? ReadingsService.REVIEWED : viewText;
    if (!view.equals(ReadingsService.REVIEWED) && !view.equals(ReadingsService.RAW)) {
      throw InvalidRequestException.field("view", "must be reviewed or raw");
    }
    String interval = intervalText == null ? "raw" : intervalText;
    Duration maxRange =
        switch (interval) {
          case "raw" -> limits.maxRawRange();
          case "1h" -> limits.maxHourlyRange();
          case "1d" -> limits.maxDailyRange();
          default -> throw InvalidRequestException.field("interval", "must be raw, 1h or 1d");
        };
    TimeRange range =
        TimeRange.parse(fromText, toText, clock.instant(), Duration.ofDays(1), maxRange);
    if (interval.equals("raw")) {
      readings.requireRawKept(range);
    }
    PointService.Visible visible =
        points.visible(viewer, Optional.ofNullable(cityId), Optional.of(kind));
    if (cityId != null && !visible.cityZones().containsKey(cityId)) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no such city: " + cityId);
    }
    List<MonitoringPoint> selected =
        pointIds == null ? visible.points() : listed(viewer, pointIds, cityId, kind);
    boolean raw = view.equals(ReadingsService.RAW);
    if (raw) {
      for (MonitoringPoint point : selected) {
        if (!ReviewService.ownsData(viewer, point)) {
          throw new HttpStatusException(
              HttpStatus.FORBIDDEN,
              "the raw values of "
                  + point.id()
                  + " are its city's ("
                  + point.cityId()
                  + "); ask for view=reviewed or leave the point out");
        }
      }
    }
    ExportLines lines = new ExportLines(format, kind, !interval.equals("raw"), raw, json);
    String fileName =
        "readings-"
            + (cityId == null ? "cluster" : cityId)
            + "-"
            + kind.name().toLowerCase()
            + "-"
            + interval
            + "-"
            + view
            + "-"
            + range.from().atOffset(ZoneOffset.UTC).toLocalDate()
            + "_"
            + range.to().atOffset(ZoneOffset.UTC).toLocalDate()
            + "."
            + format.extension;
    return new Export(
        fileName,
        format,
        new ChunkedBody(
            new Chunks(
                selected.stream().sorted(Comparator.comparing(MonitoringPoint::id)).toList(),
                visible.cityZones(),
                range,
                interval,
                raw,
                lines)));
  }

  private List<MonitoringPoint> listed(
      Viewer viewer, String pointIds, String cityId, PointKind kind) {
    List<String> ids =
        Arrays.stream(pointIds.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (ids.isEmpty() || ids.size() > MAX_LISTED_POINTS) {
      throw InvalidRequestException.field(
          "points", "must name 1 to " + MAX_LISTED_POINTS + " point ids, comma-separated");
    }
    Map<String, MonitoringPoint> byId = new LinkedHashMap<>();
    for (String id : ids) {
      MonitoringPoint point = points.visiblePoint(viewer, id);
      if (point.kind() != kind) {
        throw InvalidRequestException.field(
            "points", id + " is a " + point.kind() + " point, not " + kind);
      }
      if (cityId != null && !point.cityId().equals(cityId)) {
        throw InvalidRequestException.field("points", id + " is not in " + cityId);
      }
      byId.put(id, point);
    }
    return new ArrayList<>(byId.values());
  }

  /**
   * The visible points of a city (or of all cities) and kind that are not decommissioned, with
   * their latest values as the latest readings answer them, as a GeoJSON FeatureCollection.
   */
  public PointsGeoJson.FeatureCollection points(Viewer viewer, String cityId, String kindText) {
    Optional<PointKind> kind = Optional.ofNullable(kindText).map(ReadingsExport::kind);
    PointService.Visible visible = points.visible(viewer, Optional.ofNullable(cityId), kind);
    if (cityId != null && !visible.cityZones().containsKey(cityId)) {
      throw new HttpStatusException(HttpStatus.NOT_FOUND, "no such city: " + cityId);
    }
    Map<String, LatestReading> latest =
        readings.latest(viewer, Optional.ofNullable(cityId), kind).readings().stream()
            .collect(Collectors.toMap(LatestReading::pointId, Function.identity()));
    return PointsGeoJson.of(
        visible.points().stream()
            .filter(p -> p.status() != PointStatus.DECOMMISSIONED)
            .sorted(Comparator.comparing(MonitoringPoint::id))
            .toList(),
        latest);
  }

  private static Format format(String text) {
    if (text == null || text.equalsIgnoreCase("csv")) {
      return Format.CSV;
    }
    if (text.equalsIgnoreCase("ndjson")) {
      return Format.NDJSON;
    }
    throw InvalidRequestException.field("format", "must be csv or ndjson");
  }

  private static PointKind kind(String text) {
    if (text == null) {
      throw InvalidRequestException.field(
          "kind", "is required (AIR, WATER or NOISE): the columns depend on it");
    }
    try {
      return PointKind.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw InvalidRequestException.field("kind", "must be AIR, WATER or NOISE");
    }
  }

  /** The body's chunks: the header, then each point's rows a page or its buckets at a time. */
  private final class Chunks implements Iterator<byte[]> {

    private final Iterator<MonitoringPoint> remaining;
    private final Map<String, ZoneId> zones;
    private final TimeRange range;
    private final String interval;
    private final boolean raw;
    private final ExportLines lines;
    private boolean headerDone;
    private MonitoringPoint point;
    private PointReview review;
    private Instant cursor;

    Chunks(
        List<MonitoringPoint> points,
        Map<String, ZoneId> zones,
        TimeRange range,
        String interval,
        boolean raw,
        ExportLines lines) {
      this.remaining = points.iterator();
      this.zones = zones;
      this.range = range;
      this.interval = interval;
      this.raw = raw;
      this.lines = lines;
    }

    @Override
    public boolean hasNext() {
      return !headerDone || cursor != null || remaining.hasNext();
    }

    @Override
    public byte[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (!headerDone) {
        headerDone = true;
        return lines.header();
      }
      if (cursor == null) {
        point = remaining.next();
        review = reviews.of(point.id());
        cursor = range.from();
      }
      ZoneId zone = zones.getOrDefault(point.cityId(), ZoneOffset.UTC);
      PointReview applied = raw ? PointReview.NONE : review;
      if (!interval.equals("raw")) {
        for (ReadingSeries.Bucket bucket :
            readings.buckets(point, range, interval, applied).buckets()) {
          lines.bucket(point, zone, bucket);
        }
        cursor = null;
        return lines.take();
      }
      ReadingsService.RowPage page =
          readings.rowPage(point, cursor, range.to(), limits.pageRows(), applied);
      for (InfluxReader.Row row : page.rows()) {
        lines.reading(
            point, zone, ReadingsService.rawReading(point, row, raw ? review : PointReview.NONE));
      }
      cursor = page.next().orElse(null);
      return lines.take();
    }
  }
}
