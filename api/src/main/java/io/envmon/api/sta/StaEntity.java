package io.envmon.api.sta;

import java.time.Instant;
import java.util.Map;

/**
 * One entity of a set: its id and its properties as they are compared and answered (times as {@link
 * Instant} or {@link Interval}, numbers as numbers, nested objects as maps).
 */
public record StaEntity(EntitySet set, String id, Map<String, Object> properties) {

  /** A time interval [start, end) (ISO 8601 {@code start/end}); compared by its start. */
  public record Interval(Instant start, Instant end) {
    @Override
    public String toString() {
      return start + "/" + end;
    }
  }

  /** The value at a property path; null when there is none. */
  public Object value(Filter.Path path) {
    String first = path.first();
    if (path.segments().size() == 1 && (first.equals("id") || first.equals("@iot.id"))) {
      return id;
    }
    Object value = properties.get(first);
    for (String segment : path.segments().subList(1, path.segments().size())) {
      value = value instanceof Map<?, ?> map ? map.get(segment) : null;
    }
    return value instanceof Interval interval ? interval.start() : value;
  }
}
