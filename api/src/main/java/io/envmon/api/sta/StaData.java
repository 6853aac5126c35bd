package io.envmon.api.sta;

import io.envmon.api.open.PublicData;
import io.envmon.api.problem.InvalidRequestException;
import io.envmon.api.readings.ReadingSeries;
import io.envmon.api.readings.RecentReading;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.Parameter;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public points as SensorThings entities (docs/api.md "SensorThings API"): a Thing and a
 * Location per point, a Datastream per point and parameter of its kind, a Sensor per kind, an
 * ObservedProperty per parameter, and an Observation per Datastream and hour: the hour's mean of
 * the valid reviewed values. What is public is {@link PublicData}'s rule alone.
 */
@Singleton
public class StaData {

  /** O&M 2.0's observation type of a numeric result. */
  static final String MEASUREMENT =
      "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";

  private static final String UCUM = "http://unitsofmeasure.org/ucum.html#";
  private static final Duration HOUR = Duration.ofHours(1);

  private final PublicData data;
  private final StaLimits limits;
  private final Clock clock;

  /** One request's public points by id, read once ({@link #snapshot()}); null: read each time. */
  private final Map<String, MonitoringPoint> points;

  @Inject
  public StaData(PublicData data, StaLimits limits, Clock clock) {
    this(data, limits, clock, null);
  }

  private StaData(
      PublicData data, StaLimits limits, Clock clock, Map<String, MonitoringPoint> points) {
    this.data = data;
    this.limits = limits;
    this.clock = clock;
    this.points = points;
  }

  /**
   * These entities over the public points as they are now, read once: for one request, whose
   * expansions would otherwise read and scan every point again per entity.
   */
  public StaData snapshot() {
    Map<String, MonitoringPoint> byId = new LinkedHashMap<>();
    data.publicPoints().forEach(point -> byId.put(point.id(), point));
    return new StaData(data, limits, clock, byId);
  }

  private List<MonitoringPoint> publicPoints() {
    return points == null ? data.publicPoints() : List.copyOf(points.values());
  }

  private Optional<MonitoringPoint> publicPoint(String id) {
    return points == null ? data.publicPoint(id) : Optional.ofNullable(points.get(id));
  }

  /** Every entity of a set; Observations have no such list (they are a Datastream's). */
  public List<StaEntity> all(EntitySet set) {
    return switch (set) {
      case THINGS -> publicPoints().stream().map(StaData::thing).toList();
      case LOCATIONS -> publicPoints().stream().map(StaData::location).toList();
      case DATASTREAMS -> publicPoints().stream().flatMap(p -> datastreams(p).stream()).toList();
      case SENSORS -> Arrays.stream(PointKind.values()).map(StaData::sensor).toList();
      case OBSERVED_PROPERTIES ->
          Arrays.stream(Parameter.values()).map(StaData::observedProperty).toList();
      case OBSERVATIONS ->
          throw InvalidRequestException.field(
              "path",
              "Observations are read per Datastream: /Datastreams(id)/Observations, or one by id");
    };
  }

  /** One entity by id; empty alike for one that does not exist and one that is not public. */
  public Optional<StaEntity> find(EntitySet set, String id) {
    return switch (set) {
      case THINGS -> publicPoint(id).map(StaData::thing);
      case LOCATIONS -> publicPoint(id).map(StaData::location);
      case DATASTREAMS -> datastream(id).map(d -> datastreamOf(d.point(), d.parameter()));
      case SENSORS -> kind(id).map(StaData::sensor);
      case OBSERVED_PROPERTIES -> Parameter.byCanonicalName(id).map(StaData::observedProperty);
      case OBSERVATIONS -> observation(id);
    };
  }

  /**
   * The entities {@code property} of {@code entity} leads to. A Datastream's Observations are those
   * of the hours in the window that {@code filter}'s bounds on phenomenonTime give.
   */
  public List<StaEntity> related(StaEntity entity, String property, Optional<Filter> filter) {
    String id = entity.id();
    return switch (entity.set()) {
      case THINGS, LOCATIONS ->
          switch (property) {
            case "Locations" -> find(EntitySet.LOCATIONS, id).stream().toList();
            case "Things" -> find(EntitySet.THINGS, id).stream().toList();
            case "Datastreams" -> publicPoint(id).map(StaData::datastreams).orElse(List.of());
            default -> throw noSuchNavigation(entity.set(), property);
          };
      case DATASTREAMS -> {
        PublicDatastream datastream =
            datastream(id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "no " + id));
        yield switch (property) {
          case "Thing" -> List.of(thing(datastream.point()));
          case "Sensor" -> List.of(sensor(datastream.point().kind()));
          case "ObservedProperty" -> List.of(observedProperty(datastream.parameter()));
          case "Observations" -> observations(datastream, filter);
          default -> throw noSuchNavigation(entity.set(), property);
        };
      }
      case SENSORS ->
          all(EntitySet.DATASTREAMS).stream()
              .filter(
                  d ->
                      d.properties().get("properties") instanceof Map<?, ?> p
                          && id.equals(p.get("kind")))
              .toList();
      case OBSERVED_PROPERTIES ->
          all(EntitySet.DATASTREAMS).stream()
              .filter(
                  d ->
                      d.properties().get("properties") instanceof Map<?, ?> p
                          && id.equals(p.get("parameter")))
              .toList();
      case OBSERVATIONS -> {
        if (!property.equals("Datastream")) {
          throw noSuchNavigation(entity.set(), property);
        }
        yield find(EntitySet.DATASTREAMS, datastreamIdOfObservation(id)).stream().toList();
      }
    };
  }

  private static InvalidRequestException noSuchNavigation(EntitySet set, String property) {
    return InvalidRequestException.field(
        "path",
        set.setName()
            + " have no navigation property "
            + property
            + "; they have "
            + String.join(", ", set.navigation().keySet()));
  }

  private record PublicDatastream(MonitoringPoint point, Parameter parameter) {}

  /** {@code point:parameter}, a parameter of the point's kind. */
  private Optional<PublicDatastream> datastream(String id) {
    int colon = id.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    Optional<Parameter> parameter = Parameter.byCanonicalName(id.substring(colon + 1));
    return publicPoint(id.substring(0, colon))
        .flatMap(
            point ->
                parameter
                    .filter(p -> RecentReading.parametersOf(point.kind()).contains(p))
                    .map(p -> new PublicDatastream(point, p)));
  }

  private static String datastreamIdOfObservation(String id) {
    int last = id.indexOf(':', id.indexOf(':') + 1);
    return last < 0 ? id : id.substring(0, last);
  }

  /** {@code point:parameter:hourStart}, e.g. {@code qingpu-air-01:pm25:2026-01-10T00:00:00Z}. */
  private Optional<StaEntity> observation(String id) {
    String datastreamId = datastreamIdOfObservation(id);
    if (datastreamId.length() == id.length()) {
      return Optional.empty();
    }
    Instant start;
    try {
      start = Instant.parse(id.substring(datastreamId.length() + 1));
    } catch (java.time.DateTimeException e) {
      return Optional.empty();
    }
    if (!TimeBounds.storable(start)) {
      // e.g. +1000000000-12-31T23:59:59Z: nothing is stored there, and its hour would overflow
      return Optional.empty();
    }
    return datastream(datastreamId)
        .flatMap(
            d ->
                data.reviewedHourly(d.point(), d.parameter(), start, start.plus(HOUR)).stream()
                    .filter(b -> b.start().equals(start))
                    .findFirst()
                    .flatMap(b -> observation(d, b)));
  }

  private List<StaEntity> observations(PublicDatastream datastream, Optional<Filter> filter) {
    TimeBounds.Window window = TimeBounds.of(filter).window(clock.instant(), limits);
    List<StaEntity> observations = new ArrayList<>();
    if (!window.from().isBefore(window.to())) {
      return observations;
    }
    for (ReadingSeries.Bucket bucket :
        data.reviewedHourly(
            datastream.point(), datastream.parameter(), window.from(), window.to())) {
      observation(datastream, bucket).ifPresent(observations::add);
    }
    return observations;
  }

  private static Optional<StaEntity> observation(PublicDatastream d, ReadingSeries.Bucket bucket) {
    ReadingSeries.Stats stats = bucket.values().get(d.parameter().canonicalName());
    if (stats == null) {
      return Optional.empty();
    }
    Instant end = bucket.start().plus(HOUR);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("phenomenonTime", new StaEntity.Interval(bucket.start(), end));
    properties.put("resultTime", end);
    properties.put("result", stats.mean());
    properties.put(
        "parameters",
        Map.of(
            "aggregation", "mean of the hour's valid, reviewed values",
            "min", stats.min(),
            "max", stats.max(),
            "count", stats.count()));
    return Optional.of(
        new StaEntity(
            EntitySet.OBSERVATIONS,
            d.point().id() + ":" + d.parameter().canonicalName() + ":" + bucket.start(),
            properties));
  }

  private static StaEntity thing(MonitoringPoint point) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", point.name());
    properties.put(
        "description",
        (point.nameEn() == null ? point.id() : point.nameEn())
            + ": "
            + point.kind().name().toLowerCase(java.util.Locale.ROOT)
            + " monitoring point of "
            + point.cityId());
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("city", point.cityId());
    own.put("kind", point.kind().name());
    own.put("code", point.id());
    if (point.nameEn() != null) {
      own.put("nameEn", point.nameEn());
    }
    properties.put("properties", own);
    return new StaEntity(EntitySet.THINGS, point.id(), properties);
  }

  private static StaEntity location(MonitoringPoint point) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", point.name());
    properties.put("description", "where " + point.id() + " measures");
    properties.put("encodingType", "application/geo+json");
    // RFC 7946: longitude first
    properties.put(
        "location", Map.of("type", "Point", "coordinates", List.of(point.lon(), point.lat())));
    properties.put("properties", Map.of("city", point.cityId()));
    return new StaEntity(EntitySet.LOCATIONS, point.id(), properties);
  }

  private static List<StaEntity> datastreams(MonitoringPoint point) {
    return RecentReading.parametersOf(point.kind()).stream()
        .map(parameter -> datastreamOf(point, parameter))
        .toList();
  }

  private static StaEntity datastreamOf(MonitoringPoint point, Parameter parameter) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", point.name() + " " + parameter.canonicalName());
    properties.put(
        "description",
        "hourly means of the valid, reviewed "
            + parameter.canonicalName()
            + " values of "
            + point.id());
    properties.put("unitOfMeasurement", Units.of(parameter));
    properties.put("observationType", MEASUREMENT);
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("city", point.cityId());
    own.put("kind", point.kind().name());
    own.put("parameter", parameter.canonicalName());
    parameter.hj212FactorCode().ifPresent(code -> own.put("hj212FactorCode", code));
    own.put("aggregation", "PT1H mean");
    properties.put("properties", own);
    return new StaEntity(
        EntitySet.DATASTREAMS, point.id() + ":" + parameter.canonicalName(), properties);
  }

  private static Optional<PointKind> kind(String id) {
    return Arrays.stream(PointKind.values()).filter(k -> k.name().equals(id)).findFirst();
  }

  private static StaEntity sensor(PointKind kind) {
    String standard =
        switch (kind) {
          case AIR -> "GB 3095-2012";
          case WATER -> "GB 3838-2002";
          case NOISE -> "GB 3096-2008";
        };
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", kind.name().toLowerCase(java.util.Locale.ROOT) + " monitoring station");
    properties.put(
        "description",
        "the automatic "
            + kind.name().toLowerCase(java.util.Locale.ROOT)
            + " monitoring station of a point, its values judged by "
            + standard);
    properties.put("encodingType", "text/plain");
    properties.put("metadata", standard);
    properties.put("properties", Map.of("kind", kind.name()));
    return new StaEntity(EntitySet.SENSORS, kind.name(), properties);
  }

  private static StaEntity observedProperty(Parameter parameter) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", parameter.canonicalName());
    properties.put("definition", "urn:envmon:parameter:" + parameter.canonicalName());
    properties.put(
        "description",
        parameter.canonicalName()
            + parameter.hj212FactorCode().map(c -> " (HJ 212 factor " + c + ")").orElse("")
            + ", in "
            + parameter.unit());
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("kind", parameter.kind().name());
    own.put("unit", parameter.unit());
    parameter.hj212FactorCode().ifPresent(code -> own.put("hj212FactorCode", code));
    properties.put("properties", own);
    return new StaEntity(EntitySet.OBSERVED_PROPERTIES, parameter.canonicalName(), properties);
  }

  /** STA unitOfMeasurement (name, symbol, definition) of envmon's canonical units. */
  static final class Units {
    private Units() {}

    static Map<String, Object> of(Parameter parameter) {
      return switch (parameter.unit()) {
        case "ug/m3" -> unit("microgram per cubic metre", "µg/m³", UCUM + "ug/m3");
        case "mg/m3" -> unit("milligram per cubic metre", "mg/m³", UCUM + "mg/m3");
        case "mg/L" -> unit("milligram per litre", "mg/L", UCUM + "mg/L");
        case "pH" -> unit("pH", "pH", UCUM + "[pH]");
        case "Cel" -> unit("degree Celsius", "°C", UCUM + "Cel");
        // ISO 7027-1: UCUM has no turbidity unit
        case "NTU" ->
            unit("nephelometric turbidity unit", "NTU", "https://www.iso.org/standard/62801.html");
        // GB 3096-2008: A-weighted equivalent sound level; UCUM's dB without the weighting
        case "dB(A)" -> unit("decibel, A-weighted", "dB(A)", UCUM + "dB");
        case "%RH" -> unit("percent relative humidity", "%", UCUM + "%");
        case "kPa" -> unit("kilopascal", "kPa", UCUM + "kPa");
        case "m/s" -> unit("metre per second", "m/s", UCUM + "m/s");
        case "deg" -> unit("degree (angle)", "°", UCUM + "deg");
        default -> unit(parameter.unit(), parameter.unit(), UCUM + parameter.unit());
      };
    }

    private static Map<String, Object> unit(String name, String symbol, String definition) {
      Map<String, Object> unit = new LinkedHashMap<>();
      unit.put("name", name);
      unit.put("symbol", symbol);
      unit.put("definition", definition);
      return unit;
    }
  }
}
