package io.envmon.api.registry;

import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.problem.Problem;
import io.envmon.api.security.Viewer;
import io.envmon.domain.DecodeException;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.CityTime;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import io.envmon.domain.point.WaterAttributes;
import io.envmon.domain.water.WaterClass;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry's points: who may see and change which, and every change written together with its
 * audit row, its {@code envmon.points.v1} outbox row and a new registry version in one transaction.
 * The points are read from PostgreSQL only when the registry version has moved since the last read
 * (a change through any API replica moves it), so listing a city's points is one small query.
 */
@Singleton
public class PointService {

  private final PointRepository points;
  private final CityRepository cities;
  private final AuditRepository audit;
  private final OutboxRepository outbox;
  private final RegistryConfiguration configuration;
  private final Clock clock;
  private final RegistryVersion version;
  private volatile Snapshot snapshot;

  /** Every point in id order and every city's time zone, as of one registry version. */
  private record Snapshot(
      long version,
      List<MonitoringPoint> points,
      Map<String, ZoneId> zones,
      Map<String, NightWindow> nights) {}

  public PointService(
      PointRepository points,
      CityRepository cities,
      AuditRepository audit,
      OutboxRepository outbox,
      RegistryConfiguration configuration,
      Clock clock,
      RegistryVersion version) {
    this.points = points;
    this.cities = cities;
    this.audit = audit;
    this.outbox = outbox;
    this.configuration = configuration;
    this.clock = clock;
    this.version = version;
  }

  public List<MonitoringPoint> visiblePoints(
      Viewer viewer, Optional<String> cityId, Optional<PointKind> kind) {
    return visible(viewer, cityId, kind).points();
  }

  /** The points a viewer may see and every city's time zone, by city id, from one snapshot. */
  public record Visible(
      List<MonitoringPoint> points,
      Map<String, ZoneId> cityZones,
      Map<String, NightWindow> cityNights) {

    /** The city's noise night window, 22:00-06:00 for a city not (yet) in the snapshot. */
    public NightWindow nightOf(String cityId) {
      return cityNights.getOrDefault(cityId, NightWindow.DEFAULT);
    }
  }

  public Visible visible(Viewer viewer, Optional<String> cityId, Optional<PointKind> kind) {
    Snapshot current = snapshot();
    return new Visible(
        current.points().stream()
            .filter(viewer::maySee)
            .filter(p -> cityId.map(p.cityId()::equals).orElse(true))
            .filter(p -> kind.map(k -> p.kind() == k).orElse(true))
            .toList(),
        current.zones(),
        current.nights());
  }

  /** Every point of the registry now, by id, whoever may see it (for validating readings). */
  public Map<String, MonitoringPoint> registryNow() {
    Map<String, MonitoringPoint> byId = new HashMap<>();
    snapshot().points().forEach(point -> byId.put(point.id(), point));
    return byId;
  }

  /** The point if it exists and the viewer may see it; 404 otherwise, alike. */
  public MonitoringPoint visiblePoint(Viewer viewer, String id) {
    return points
        .findById(id)
        .map(PointMapping::toDomain)
        .filter(viewer::maySee)
        .orElseThrow(() -> notFound(id));
  }

  @Transactional
  public MonitoringPoint create(Viewer viewer, PointRequest request) {
    if (request.id() == null) {
      throw InvalidRequestException.field("id", "must not be null");
    }
    authoriseChange(viewer, request.cityId());
    MonitoringPoint point = toDomain(request.id(), request, PointStatus.PLANNED);
    if (points.existsById(point.id())) {
      throw new HttpStatusException(HttpStatus.CONFLICT, "point " + point.id() + " already exists");
    }
    points.save(PointMapping.toRow(point, clock.instant(), viewer.username()));
    recordChange(viewer.username(), "point.create", point);
    return point;
  }

  @Transactional
  public MonitoringPoint update(Viewer viewer, String id, PointRequest request) {
    MonitoringPoint existing = visiblePoint(viewer, id);
    authoriseChange(viewer, existing.cityId());
    if (request.id() != null && !request.id().equals(id)) {
      throw InvalidRequestException.field("id", "differs from the point id " + id + " of the path");
    }
    if (!request.cityId().equals(existing.cityId())) {
      throw InvalidRequestException.field("cityId", "a point cannot move to another city");
    }
    if (request.kind() != existing.kind()) {
      throw InvalidRequestException.field(
          "kind", "a " + existing.kind() + " point stays one; register a new point instead");
    }
    MonitoringPoint point = toDomain(id, request, existing.status());
    points.update(PointMapping.toRow(point, clock.instant(), viewer.username()));
    recordChange(viewer.username(), "point.update", point);
    return point;
  }

  /** DELETE: the point stays in the registry as DECOMMISSIONED, so history keeps its meaning. */
  @Transactional
  public MonitoringPoint decommission(Viewer viewer, String id) {
    MonitoringPoint existing = visiblePoint(viewer, id);
    authoriseChange(viewer, existing.cityId());
    MonitoringPoint point =
        new MonitoringPoint(
            existing.id(),
            existing.cityId(),
            existing.kind(),
            existing.name(),
            existing.nameEn(),
            existing.lat(),
            existing.lon(),
            PointStatus.DECOMMISSIONED,
            existing.sharing(),
            existing.sharedWith(),
            existing.water(),
            existing.noiseZone());
    points.update(PointMapping.toRow(point, clock.instant(), viewer.username()));
    recordChange(viewer.username(), "point.decommission", point);
    return point;
  }

  /**
   * The registry as it was at {@code at}, from the points topic's outbox rows (every change of a
   * point is one, kept after it is relayed): each point's newest record written at or before {@code
   * at}. A point of today's registry without such a record but with a later one was registered
   * after {@code at}; one without any record (written around the API) is taken as it is now.
   */
  public RegistryAt registryAt(Instant at) {
    Map<String, MonitoringPoint> then = new HashMap<>();
    for (OutboxRow row : outbox.findLatestPerKeyAt(configuration.pointsTopic(), at)) {
      if (row.payload() != null) {
        try {
          then.put(row.messageKey(), MonitoringPointJson.decode(row.payload()));
        } catch (DecodeException e) {
          throw new IllegalStateException("outbox row " + row.id() + " is not a point record", e);
        }
      }
    }
    Set<String> withHistory = new HashSet<>();
    outbox
        .findLatestPerKey(configuration.pointsTopic())
        .forEach(row -> withHistory.add(row.messageKey()));
    List<MonitoringPoint> points = new ArrayList<>();
    List<MonitoringPoint> registeredLater = new ArrayList<>();
    List<String> withoutHistory = new ArrayList<>();
    for (MonitoringPoint current : snapshot().points()) {
      MonitoringPoint old = then.remove(current.id());
      if (old != null) {
        points.add(old);
      } else if (withHistory.contains(current.id())) {
        registeredLater.add(current);
      } else {
        points.add(current);
        withoutHistory.add(current.id());
      }
    }
    points.addAll(then.values());
    points.sort(Comparator.comparing(MonitoringPoint::id));
    return new RegistryAt(points, registeredLater, withoutHistory);
  }

  /**
   * The registry at a past time: its points then, today's points registered later, and the ids of
   * the points whose history is not known (taken as they are now).
   */
  public record RegistryAt(
      List<MonitoringPoint> points,
      List<MonitoringPoint> registeredLater,
      List<String> withoutHistory) {}

  /** Used by the data-file loader: inserts a point as the system, with its outbox row. */
  @Transactional
  public void insertFromDataFile(MonitoringPoint point) {
    points.save(PointMapping.toRow(point, clock.instant(), "data-file"));
    recordChange("data-file", "point.create", point);
  }

  /**
   * The snapshot while the registry version is the one it was read at. The version is read before
   * the rows, so a change committed in between only causes a reread.
   */
  private Snapshot snapshot() {
    long now = version.current();
    Snapshot current = snapshot;
    if (current == null || current.version() != now) {
      Map<String, ZoneId> zones = new HashMap<>();
      Map<String, NightWindow> nights = new HashMap<>();
      cities
          .findAll()
          .forEach(
              city -> {
                zones.put(city.id(), ZoneId.of(city.timeZone()));
                nights.put(city.id(), city.night());
              });
      current =
          new Snapshot(
              now,
              points.findAllOrderById().stream().map(PointMapping::toDomain).toList(),
              Map.copyOf(zones),
              Map.copyOf(nights));
      snapshot = current;
    }
    return current;
  }

  private void recordChange(String actor, String action, MonitoringPoint point) {
    version.raise();
    Instant now = clock.instant();
    audit.save(new AuditRow(null, now, actor, action, point.id(), point.status().name()));
    enqueue(point, now);
  }

  private void enqueue(MonitoringPoint point, Instant now) {
    outbox.save(
        new OutboxRow(
            null, configuration.pointsTopic(), point.id(), topicRecord(point), now, null));
  }

  /** The point's record on {@code envmon.points.v1}: with its city's time zone and night window. */
  private byte[] topicRecord(MonitoringPoint point) {
    CityTime city =
        cities
            .findById(point.cityId())
            .map(row -> new CityTime(ZoneId.of(row.timeZone()), row.night()))
            .orElse(null);
    return MonitoringPointJson.encode(point, city);
  }

  /**
   * Sends again every point whose record on {@code envmon.points.v1} is not what it would be now:
   * after its city's time zone or night window changed, and once after an upgrade that changed the
   * record (the jobs read a city's zone and night from its points' records). Returns how many.
   */
  @Transactional
  public int republishChanged() {
    Map<String, byte[]> sent = new HashMap<>();
    for (OutboxRow row : outbox.findLatestPerKey(configuration.pointsTopic())) {
      sent.put(row.messageKey(), row.payload());
    }
    Instant now = clock.instant();
    int republished = 0;
    for (PointRow row : points.findAllOrderById()) {
      MonitoringPoint point = PointMapping.toDomain(row);
      if (!Arrays.equals(sent.get(point.id()), topicRecord(point))) {
        enqueue(point, now);
        republished++;
      }
    }
    return republished;
  }

  private void authoriseChange(Viewer viewer, String cityId) {
    if (!viewer.mayManagePointsOf(cityId)) {
      throw new HttpStatusException(
          HttpStatus.FORBIDDEN,
          "only the coordinator or a bureau of " + cityId + " may change its points");
    }
  }

  private MonitoringPoint toDomain(String id, PointRequest request, PointStatus defaultStatus) {
    List<Problem.FieldError> errors = new ArrayList<>();
    if (cities.findById(request.cityId()).isEmpty()) {
      errors.add(new Problem.FieldError("cityId", "unknown city " + request.cityId()));
    }
    List<String> sharedWith = request.sharedWith() == null ? List.of() : request.sharedWith();
    for (String city : sharedWith) {
      if (cities.findById(city).isEmpty()) {
        errors.add(new Problem.FieldError("sharedWith", "unknown city " + city));
      }
    }
    if ((request.sharing() == SharingScope.CITIES) == sharedWith.isEmpty()) {
      errors.add(
          new Problem.FieldError("sharedWith", "must name cities exactly when sharing is CITIES"));
    }
    WaterAttributes water = null;
    if (request.kind() == PointKind.WATER) {
      Optional<WaterClass> target =
          Optional.ofNullable(request.targetClass())
              .flatMap(WaterClass::parse)
              .filter(c -> c != WaterClass.WORSE_THAN_V);
      if (request.river() == null || request.river().isBlank()) {
        errors.add(new Problem.FieldError("river", "required for WATER points"));
      }
      if (request.important() == null) {
        errors.add(new Problem.FieldError("important", "required for WATER points"));
      }
      if (target.isEmpty()) {
        errors.add(new Problem.FieldError("targetClass", "must be I, II, III, IV or V"));
      }
      if (errors.isEmpty()) {
        water =
            new WaterAttributes(
                request.river(),
                request.important(),
                target.orElseThrow(),
                request.waterBody(),
                request.downstream());
      }
    } else if (request.river() != null || request.targetClass() != null) {
      errors.add(new Problem.FieldError("river", "only WATER points have water attributes"));
    }
    NoiseZone zone = null;
    if (request.kind() == PointKind.NOISE) {
      zone = Optional.ofNullable(request.zone()).flatMap(NoiseZone::parse).orElse(null);
      if (zone == null) {
        errors.add(new Problem.FieldError("zone", "must be 0, 1, 2, 3, 4a or 4b"));
      }
    } else if (request.zone() != null) {
      errors.add(new Problem.FieldError("zone", "only NOISE points have a zone"));
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(
          errors.size() + " field(s) of the point are invalid", errors);
    }
    try {
      return new MonitoringPoint(
          id,
          request.cityId(),
          request.kind(),
          request.name(),
          request.nameEn(),
          request.lat(),
          request.lon(),
          request.status() == null ? defaultStatus : request.status(),
          request.sharing(),
          new HashSet<>(sharedWith),
          water,
          zone);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          e.getMessage(), List.of(new Problem.FieldError(null, e.getMessage())));
    }
  }

  static HttpStatusException notFound(String id) {
    return new HttpStatusException(HttpStatus.NOT_FOUND, "no point " + id);
  }
}
