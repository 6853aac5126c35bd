package io.envmon.api.review;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.problem.Problem;
import io.envmon.api.readings.TimeRange;
import io.envmon.api.registry.AuditRepository;
import io.envmon.api.registry.AuditRow;
import io.envmon.api.registry.OutboxRepository;
import io.envmon.api.registry.OutboxRow;
import io.envmon.api.registry.PointService;
import io.envmon.api.security.Viewer;
import io.envmon.domain.DecodeException;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.review.PointReview;
import io.envmon.domain.review.ReviewMark;
import io.envmon.domain.review.ReviewMarkJson;
import io.envmon.domain.review.ReviewReason;
import io.envmon.domain.review.Verdict;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Review of data (数据审核): the coordinator or a bureau user of the point's city marks its values
 * invalid or valid again, each mark audited ({@code review.mark}, detail: the mark and the
 * invalidated ranges of each parameter it touches before and after it). The marks are read from
 * PostgreSQL again only when their number moved (they are only ever added), so applying them to a
 * series or to every point's "latest" costs one small query. Each mark also goes, in the
 * transaction that stores it, to the outbox for {@code envmon.review-marks.v1}: the stream jobs'
 * sharing-ratio history follows it (docs/stream-jobs.md "Review marks").
 */
@Singleton
public class ReviewService {

  private static final Logger log = LoggerFactory.getLogger(ReviewService.class);

  /** The longest range one mark may cover. */
  static final Duration MAX_RANGE = Duration.ofDays(366);

  private final ReviewMarkRepository marks;
  private final PointService points;
  private final AuditRepository audit;
  private final OutboxRepository outbox;
  private final ReviewConfiguration configuration;
  private final JsonMapper json;
  private final Clock clock;
  private volatile Reviews snapshot;

  /** Every point's review as of one number of marks. */
  public record Reviews(long count, Map<String, PointReview> byPoint) {
    public PointReview of(String pointId) {
      return byPoint.getOrDefault(pointId, PointReview.NONE);
    }
  }

  public ReviewService(
      ReviewMarkRepository marks,
      PointService points,
      AuditRepository audit,
      OutboxRepository outbox,
      ReviewConfiguration configuration,
      JsonMapper json,
      Clock clock) {
    this.marks = marks;
    this.points = points;
    this.audit = audit;
    this.outbox = outbox;
    this.configuration = configuration;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Writes to the outbox every mark that has no row there yet — marks made before the API wrote
   * them for the stream jobs — so the jobs' ratio history follows them too. At start; returns how
   * many. Another replica doing the same at once may send a mark twice: the jobs keep marks by id.
   */
  public int sendMarksNotYetSent() {
    Set<Long> sent = new HashSet<>();
    for (OutboxRow row : outbox.findByTopicOrderById(configuration.marksTopic())) {
      try {
        sent.add(ReviewMarkJson.decode(row.payload()).id());
      } catch (DecodeException e) {
        log.warn(
            "outbox row {} of {} is no review mark: {}", row.id(), row.topic(), e.getMessage());
      }
    }
    int added = 0;
    for (ReviewMarkRow row : marks.findAllOrderById()) {
      if (!sent.contains(row.id())) {
        ReviewMark mark = row.toDomain();
        outbox.save(
            new OutboxRow(
                null,
                configuration.marksTopic(),
                mark.pointId(),
                ReviewMarkJson.encode(mark),
                clock.instant(),
                null));
        added++;
      }
    }
    return added;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    int added = sendMarksNotYetSent();
    if (added > 0) {
      log.info(
          "Sent {} review mark(s) made before marks went to {} (the stream jobs' ratio history)",
          added,
          configuration.marksTopic());
    }
  }

  /** Every point's review now (reread only when a mark was added since the last read). */
  public Reviews current() {
    long count = marks.count();
    Reviews current = snapshot;
    if (current == null || current.count() != count) {
      Map<String, List<ReviewMark>> byPoint = new HashMap<>();
      List<ReviewMarkRow> rows = marks.findAllOrderById();
      rows.forEach(
          row ->
              byPoint.computeIfAbsent(row.pointId(), p -> new ArrayList<>()).add(row.toDomain()));
      Map<String, PointReview> reviews = new HashMap<>();
      byPoint.forEach((point, list) -> reviews.put(point, new PointReview(list)));
      current = new Reviews(rows.size(), Map.copyOf(reviews));
      snapshot = current;
    }
    return current;
  }

  /** One point's review now. */
  public PointReview of(String pointId) {
    return current().of(pointId);
  }

  /**
   * Whether the viewer sees the point's raw values and its marks: its city's users, coordinator.
   */
  public static boolean ownsData(Viewer viewer, MonitoringPoint point) {
    return viewer.ownsDataOf(point.cityId());
  }

  /** The point's marks in the order they were made, those overlapping [from, to) when given. */
  public List<ReviewMark> list(Viewer viewer, String pointId, String fromText, String toText) {
    MonitoringPoint point = points.visiblePoint(viewer, pointId);
    if (!ownsData(viewer, point)) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "the review marks of " + pointId + " are its city's (" + point.cityId() + ")");
    }
    Optional<Instant> from = Optional.ofNullable(fromText).map(t -> TimeRange.instant("from", t));
    Optional<Instant> to = Optional.ofNullable(toText).map(t -> TimeRange.instant("to", t));
    return marks.findByPointIdOrderById(pointId).stream()
        .map(ReviewMarkRow::toDomain)
        .filter(m -> from.map(f -> m.to().isAfter(f)).orElse(true))
        .filter(m -> to.map(t -> m.from().isBefore(t)).orElse(true))
        .toList();
  }

  @Transactional
  public ReviewMark mark(Viewer viewer, String pointId, ReviewRequest request) {
    MonitoringPoint point = points.visiblePoint(viewer, pointId);
    if (!viewer.mayManagePointsOf(point.cityId())) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "only the coordinator or a bureau user of " + point.cityId() + " reviews its data");
    }
    ReviewMark unsaved = checked(point, request, viewer.username());
    PointReview before =
        new PointReview(
            marks.findByPointIdOrderById(pointId).stream().map(ReviewMarkRow::toDomain).toList());
    ReviewMarkRow row =
        marks.save(
            new ReviewMarkRow(
                null,
                pointId,
                unsaved.from(),
                unsaved.to(),
                unsaved.parameter() == null ? null : unsaved.parameter().canonicalName(),
                unsaved.verdict().name(),
                unsaved.reason().name(),
                unsaved.note(),
                unsaved.createdAt(),
                unsaved.createdBy()));
    ReviewMark mark = row.toDomain();
    audit.save(
        new AuditRow(
            null,
            mark.createdAt(),
            viewer.username(),
            "review.mark",
            pointId,
            detail(point, mark, before, before.with(mark))));
    outbox.save(
        new OutboxRow(
            null,
            configuration.marksTopic(),
            pointId,
            ReviewMarkJson.encode(mark),
            mark.createdAt(),
            null));
    return mark;
  }

  private ReviewMark checked(MonitoringPoint point, ReviewRequest request, String username) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Instant from = null;
    Instant to = null;
    if (request.at() != null) {
      if (request.from() != null || request.to() != null) {
        errors.add(new Problem.FieldError("at", "give either at (one reading) or from and to"));
      } else {
        from = instant("at", request.at(), errors);
        to = from == null ? null : from.plusMillis(1);
      }
    } else if (request.from() == null || request.to() == null) {
      errors.add(
          new Problem.FieldError(
              request.from() == null ? "from" : "to",
              "required (ISO-8601 with offset), or give at for one reading"));
    } else {
      from = instant("from", request.from(), errors);
      to = instant("to", request.to(), errors);
      if (from != null && to != null) {
        if (!from.isBefore(to)) {
          errors.add(new Problem.FieldError("from", "must be before to (" + to + ")"));
        } else if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
          errors.add(new Problem.FieldError("to", "a mark may span at most 366 days"));
        }
      }
    }
    Parameter parameter = null;
    if (request.parameter() != null) {
      parameter = Parameter.byCanonicalName(request.parameter()).orElse(null);
      if (parameter == null || parameter.kind() != point.kind()) {
        errors.add(
            new Problem.FieldError(
                "parameter",
                "'"
                    + request.parameter()
                    + "' is no parameter of a "
                    + point.kind()
                    + " point (e.g. "
                    + example(point)
                    + "); leave it out to mark every value"));
      }
    }
    Verdict verdict = parse(Verdict.class, "verdict", request.verdict(), errors);
    ReviewReason reason = parse(ReviewReason.class, "reason", request.reason(), errors);
    String note = request.note() == null || request.note().isBlank() ? null : request.note().trim();
    if (reason == ReviewReason.OTHER && note == null) {
      errors.add(new Problem.FieldError("note", "required when reason is OTHER: say what"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(
          errors.size() + " field(s) of the review mark are invalid", errors);
    }
    return new ReviewMark(
        0, point.id(), from, to, parameter, verdict, reason, note, clock.instant(), username);
  }

  private static String example(MonitoringPoint point) {
    return Arrays.stream(Parameter.values())
        .filter(p -> p.kind() == point.kind())
        .findFirst()
        .map(Parameter::canonicalName)
        .orElse("");
  }

  private static Instant instant(String field, String text, List<Problem.FieldError> errors) {
    try {
      return TimeRange.instant(field, text);
    } catch (InvalidRequestException e) {
      errors.addAll(e.errors());
      return null;
    }
  }

  private static <E extends Enum<E>> E parse(
      Class<E> type, String field, String text, List<Problem.FieldError> errors) {
    List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    if (text != null && names.contains(text)) {
      return Enum.valueOf(type, text);
    }
    errors.add(new Problem.FieldError(field, "must be one of " + String.join(", ", names)));
    return null;
  }

  /** The mark and the invalidated ranges of each parameter it touches, before and after it. */
  private String detail(
      MonitoringPoint point, ReviewMark mark, PointReview before, PointReview after) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("mark", mark.id());
    detail.put("from", mark.from().toString());
    detail.put("to", mark.to().toString());
    detail.put("parameter", mark.parameter() == null ? "*" : mark.parameter().canonicalName());
    detail.put("verdict", mark.verdict().name());
    detail.put("reason", mark.reason().name());
    if (mark.note() != null) {
      detail.put("note", mark.note());
    }
    detail.put("before", invalidRanges(point, mark, before));
    detail.put("after", invalidRanges(point, mark, after));
    try {
      return json.writeValueAsString(detail);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, List<List<String>>> invalidRanges(
      MonitoringPoint point, ReviewMark mark, PointReview review) {
    Map<String, List<List<String>>> invalid = new LinkedHashMap<>();
    for (Parameter parameter : Parameter.values()) {
      if (parameter.kind() == point.kind() && mark.appliesTo(parameter)) {
        List<List<String>> ranges =
            review.invalidWithin(parameter, mark.from(), mark.to()).stream()
                .map(r -> List.of(r.start().toString(), r.end().toString()))
                .toList();
        if (!ranges.isEmpty()) {
          invalid.put(parameter.canonicalName(), ranges);
        }
      }
    }
    return invalid;
  }
}
