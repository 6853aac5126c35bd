package io.envmon.api.sta;

import io.envmon.api.problem.InvalidRequestException;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers a SensorThings resource path with its query options (OGC 18-088 §9.2, §9.3): resolves
 * {@code Things('id')/Datastreams} and the like to entities of {@link StaData}, then filters,
 * orders, pages and expands them in memory (the sets are the public points; a Datastream's
 * Observations are bounded in time by {@link TimeBounds}) and renders the STA JSON with its
 * {@code @iot} links.
 */
@Singleton
public class StaResources {

  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z$]+)(?:\\((.*)\\))?");

  private final StaData data;
  private final StaLimits limits;

  /** The Datastreams whose Observations this request has expanded (a per-request copy's). */
  private int expandedObservationStreams;

  public StaResources(StaData data, StaLimits limits) {
    this.data = data;
    this.limits = limits;
  }

  /** What a path answers: a JSON object, or a property's raw value ({@code /$value}). */
  public sealed interface Answer {
    record Json(Map<String, Object> body) implements Answer {}

    record Text(String body) implements Answer {}
  }

  /**
   * @param base the service root, e.g. {@code http://host:8080/sta/v1.1}
   * @param path the resource path after the root, URL-decoded, e.g. {@code Things('a')/Locations}
   * @param parameters the query parameters (first value of each)
   */
  public Answer answer(String base, String path, Map<String, String> parameters) {
    // one request's own copy: the public points read once, and its count of expansions
    return new StaResources(data.snapshot(), limits).answerOnce(base, path, parameters);
  }

  private Answer answerOnce(String base, String path, Map<String, String> parameters) {
    QueryOptions options = QueryOptions.of(parameters);
    List<String> segments = segments(path);
    Resolved resolved = null;
    for (int i = 0; i < segments.size(); i++) {
      resolved = step(resolved, segments.get(i), i == segments.size() - 1 ? options : null);
    }
    if (resolved instanceof Collection c) {
      return new Answer.Json(collection(base, c, options, linkOf(base, path), parameters));
    }
    if (resolved instanceof One o) {
      return new Answer.Json(entity(base, o.entity(), options));
    }
    if (resolved instanceof Property p) {
      return new Answer.Json(property(p));
    }
    if (resolved instanceof Ref ref) {
      QueryOptions links =
          new QueryOptions(
              options.top(),
              options.skip(),
              options.count(),
              options.orderBy(),
              List.of("@iot.selfLink"),
              List.of(),
              options.filter());
      if (ref.of() instanceof One o) {
        return new Answer.Json(entity(base, o.entity(), links));
      }
      String collectionPath = path.substring(0, path.lastIndexOf("$ref"));
      return new Answer.Json(
          collection(
              base,
              (Collection) ref.of(),
              links,
              linkOf(base, collectionPath) + "/$ref",
              parameters));
    }
    if (resolved instanceof RawValue r) {
      return new Answer.Text(r.value() == null ? "" : String.valueOf(json(r.value())));
    }
    throw notFound(path);
  }

  private sealed interface Resolved {}

  /** A collection of a set; its entities given the request's $filter (Observations' window). */
  private record Collection(EntitySet set, Function<Optional<Filter>, List<StaEntity>> entities)
      implements Resolved {}

  private record One(StaEntity entity) implements Resolved {}

  private record Property(String name, Object value) implements Resolved {}

  private record RawValue(Object value) implements Resolved {}

  /** The links of an entity or a collection ({@code /$ref}, OGC 18-088 §9.2.7). */
  private record Ref(Resolved of) implements Resolved {}

  private Resolved step(Resolved current, String segment, QueryOptions last) {
    Matcher matcher = SEGMENT.matcher(segment);
    if (!matcher.matches()) {
      throw notFound(segment);
    }
    String name = matcher.group(1);
    Optional<String> id = Optional.ofNullable(matcher.group(2)).map(StaResources::idLiteral);
    if (current == null) {
      EntitySet set = EntitySet.named(name).orElseThrow(() -> notFound(segment));
      if (id.isPresent()) {
        return new One(data.find(set, id.get()).orElseThrow(() -> notFound(segment)));
      }
      return new Collection(set, filter -> data.all(set));
    }
    if (current instanceof Property property && name.equals("$value") && id.isEmpty()) {
      return new RawValue(property.value());
    }
    if (name.equals("$ref")
        && id.isEmpty()
        && (current instanceof One || current instanceof Collection)) {
      return new Ref(current);
    }
    if (current instanceof Collection collection && id.isEmpty()) {
      throw InvalidRequestException.field(
          "path",
          "'"
              + segment
              + "' after the collection "
              + collection.set().setName()
              + " is not supported; address one entity by its id first");
    }
    if (!(current instanceof One one)) {
      throw notFound(segment);
    }
    StaEntity entity = one.entity();
    EntitySet set = entity.set();
    if (set.navigation().containsKey(name)) {
      EntitySet target = set.target(name).orElseThrow();
      if (EntitySet.isSingle(name)) {
        if (id.isPresent()) {
          throw notFound(segment);
        }
        return new One(
            data.related(entity, name, Optional.empty()).stream()
                .findFirst()
                .orElseThrow(() -> notFound(segment)));
      }
      if (id.isPresent()) {
        // an Observation by id needs no window: it is found by its own id
        return new One(
            (target == EntitySet.OBSERVATIONS
                    ? data.find(target, id.get())
                        .filter(
                            o ->
                                data.related(o, "Datastream", Optional.empty()).stream()
                                    .anyMatch(d -> d.id().equals(entity.id())))
                    : data.related(entity, name, Optional.empty()).stream()
                        .filter(e -> e.id().equals(id.get()))
                        .findFirst())
                .orElseThrow(() -> notFound(segment)));
      }
      return new Collection(target, filter -> data.related(entity, name, filter));
    }
    if (id.isEmpty() && (set.properties().contains(name) || name.equals("id"))) {
      Object value = name.equals("id") ? entity.id() : entity.value(new Filter.Path(List.of(name)));
      return new Property(name.equals("id") ? "@iot.id" : name, value);
    }
    throw notFound(segment);
  }

  private Map<String, Object> collection(
      String base,
      Collection collection,
      QueryOptions options,
      String link,
      Map<String, String> parameters) {
    Page page = page(collection.set(), collection.entities().apply(options.filter()), options);
    Map<String, Object> body = new LinkedHashMap<>();
    if (options.count()) {
      body.put("@iot.count", page.total());
    }
    if (page.more()) {
      body.put("@iot.nextLink", nextLink(link, parameters, options));
    }
    List<Object> value = new ArrayList<>();
    page.entities().forEach(e -> value.add(entity(base, e, options)));
    body.put("value", value);
    return body;
  }

  private record Page(List<StaEntity> entities, int total, boolean more) {}

  /** $filter, $orderby (else by id), $skip and $top over a set's entities. */
  private static Page page(EntitySet set, List<StaEntity> entities, QueryOptions options) {
    options.filter().ifPresent(f -> checkPaths(set, f, "$filter"));
    for (QueryOptions.OrderBy key : options.orderBy()) {
      checkPath(set, key.path(), "$orderby");
    }
    List<StaEntity> kept =
        options
            .filter()
            .map(f -> entities.stream().filter(e -> f.test(e::value)).toList())
            .orElse(entities);
    Comparator<StaEntity> order = null;
    for (QueryOptions.OrderBy key : options.orderBy()) {
      Comparator<StaEntity> byKey =
          (a, b) -> compareValues(a.value(key.path()), b.value(key.path()));
      byKey = key.descending() ? byKey.reversed() : byKey;
      order = order == null ? byKey : order.thenComparing(byKey);
    }
    Comparator<StaEntity> byId = Comparator.comparing(StaEntity::id);
    order = order == null ? byId : order.thenComparing(byId);
    List<StaEntity> sorted = kept.stream().sorted(order).toList();
    int from = Math.min(options.skip(), sorted.size());
    int to = (int) Math.min((long) from + options.pageSize(), sorted.size());
    // $top=0 asks for the count alone: no nextLink, which would never move on
    return new Page(
        sorted.subList(from, to), sorted.size(), options.pageSize() > 0 && to < sorted.size());
  }

  /** Nulls first, then by {@link Filter#compare}; values of different types by their type. */
  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    Integer order = Filter.compare(a, b);
    return order != null ? order : a.getClass().getName().compareTo(b.getClass().getName());
  }

  private Map<String, Object> entity(String base, StaEntity entity, QueryOptions options) {
    List<String> select = options.select();
    for (String name : select) {
      if (!name.equals("id")
          && !name.equals("@iot.id")
          && !name.equals("@iot.selfLink")
          && !entity.set().properties().contains(name)
          && !entity.set().navigation().containsKey(name)) {
        throw InvalidRequestException.field(
            "$select", entity.set().setName() + " have no property " + name);
      }
    }
    boolean all = select.isEmpty();
    String self = base + "/" + entity.set().setName() + "(" + idUrl(entity.id()) + ")";
    Map<String, Object> body = new LinkedHashMap<>();
    if (all || select.contains("id") || select.contains("@iot.id")) {
      body.put("@iot.id", entity.id());
    }
    if (all || select.contains("@iot.selfLink")) {
      body.put("@iot.selfLink", self);
    }
    for (String property : entity.set().properties()) {
      Object value = entity.properties().get(property);
      if ((all || select.contains(property)) && value != null) {
        body.put(property, json(value));
      }
    }
    Map<String, QueryOptions.Expand> expanded = new LinkedHashMap<>();
    for (QueryOptions.Expand expand : options.expand()) {
      if (!entity.set().navigation().containsKey(expand.navigation())) {
        throw InvalidRequestException.field(
            "$expand",
            entity.set().setName()
                + " have no navigation property "
                + expand.navigation()
                + "; they have "
                + String.join(", ", entity.set().navigation().keySet()));
      }
      expanded.put(expand.navigation(), expand);
    }
    for (String navigation : entity.set().navigation().keySet().stream().sorted().toList()) {
      QueryOptions.Expand expand = expanded.get(navigation);
      if (expand != null) {
        EntitySet target = entity.set().target(navigation).orElseThrow();
        if (target == EntitySet.OBSERVATIONS) {
          countExpandedObservations();
        }
        List<StaEntity> related = data.related(entity, navigation, expand.options().filter());
        if (EntitySet.isSingle(navigation)) {
          related.stream()
              .findFirst()
              .ifPresent(r -> body.put(navigation, entity(base, r, expand.options())));
        } else {
          Page page = page(target, related, expand.options());
          if (expand.options().count()) {
            body.put(navigation + "@iot.count", page.total());
          }
          if (page.more()) {
            body.put(
                navigation + "@iot.nextLink",
                nextLink(self + "/" + navigation, expand.parameters(), expand.options()));
          }
          List<Object> value = new ArrayList<>();
          page.entities().forEach(r -> value.add(entity(base, r, expand.options())));
          body.put(navigation, value);
        }
      } else if (all || select.contains(navigation)) {
        body.put(navigation + "@iot.navigationLink", self + "/" + navigation);
      }
    }
    return body;
  }

  /**
   * Each Datastream's expanded Observations are a read of InfluxDB over up to {@link
   * StaLimits#maxObservationRange()}: more than {@link StaLimits#maxExpandedObservationStreams()}
   * in one request is a 400 (before the one too many is read).
   */
  private void countExpandedObservations() {
    int most = limits.maxExpandedObservationStreams();
    if (++expandedObservationStreams > most) {
      throw InvalidRequestException.field(
          "$expand",
          "Observations of at most "
              + most
              + " Datastreams may be expanded in one request: narrow the request with $top (fewer"
              + " Things or Datastreams) or $filter, or read one Datastream's Observations at"
              + " /Datastreams('id')/Observations with $filter on phenomenonTime");
    }
  }

  private static Map<String, Object> property(Property property) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(property.name(), json(property.value()));
    return body;
  }

  /** Instants and intervals as ISO 8601 text; maps and lists as they are. */
  private static Object json(Object value) {
    if (value instanceof Instant || value instanceof StaEntity.Interval) {
      return value.toString();
    }
    return value;
  }

  private static void checkPaths(EntitySet set, Filter filter, String option) {
    if (filter instanceof Filter.Or or) {
      checkPaths(set, or.left(), option);
      checkPaths(set, or.right(), option);
    } else if (filter instanceof Filter.And and) {
      checkPaths(set, and.left(), option);
      checkPaths(set, and.right(), option);
    } else if (filter instanceof Filter.Not not) {
      checkPaths(set, not.operand(), option);
    } else if (filter instanceof Filter.Comparison c && c.left() instanceof Filter.Path path) {
      checkPath(set, path, option);
    }
  }

  private static void checkPath(EntitySet set, Filter.Path path, String option) {
    String first = path.first();
    boolean id = path.segments().size() == 1 && (first.equals("id") || first.equals("@iot.id"));
    if (id || set.properties().contains(first)) {
      return;
    }
    if (set.navigation().containsKey(first)) {
      throw InvalidRequestException.field(
          option, "paths through navigation properties (" + path + ") are not supported");
    }
    throw InvalidRequestException.field(
        option,
        set.setName()
            + " have no property "
            + first
            + "; they have id, "
            + String.join(", ", set.properties()));
  }

  private static String nextLink(
      String link, Map<String, String> parameters, QueryOptions options) {
    Map<String, String> next = new LinkedHashMap<>(parameters);
    next.put("$top", Integer.toString(options.pageSize()));
    next.put("$skip", Integer.toString(options.skip() + options.pageSize()));
    StringBuilder query = new StringBuilder();
    next.forEach(
        (name, value) ->
            query
                .append(query.isEmpty() ? "?" : "&")
                .append(encode(name))
                .append('=')
                .append(encode(value)));
    return link + query;
  }

  private static String linkOf(String base, String path) {
    StringBuilder link = new StringBuilder(base);
    for (String segment : segments(path)) {
      Matcher matcher = SEGMENT.matcher(segment);
      link.append('/');
      if (matcher.matches() && matcher.group(2) != null) {
        link.append(matcher.group(1))
            .append('(')
            .append(idUrl(idLiteral(matcher.group(2))))
            .append(')');
      } else {
        link.append(segment);
      }
    }
    return link.toString();
  }

  /**
   * An id as it stands in a path: quoted, quotes doubled, then %-encoded but for ':' (allowed in a
   * path segment, RFC 3986 §3.3; the Datastreams' and Observations' ids hold them).
   */
  static String idUrl(String id) {
    return "'" + encode(id.replace("'", "''")).replace("%3A", ":") + "'";
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code 'a''b'} is {@code a'b}; an unquoted id (a number) is its text. */
  private static String idLiteral(String text) {
    String literal = text.strip();
    if (literal.length() >= 2 && literal.startsWith("'") && literal.endsWith("'")) {
      return literal.substring(1, literal.length() - 1).replace("''", "'");
    }
    return literal;
  }

  private static List<String> segments(String path) {
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return segments;
  }

  private static HttpStatusException notFound(String segment) {
    return new HttpStatusException(HttpStatus.NOT_FOUND, "nothing at '" + segment + "'");
  }
}
