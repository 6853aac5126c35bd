package io.envmon.api.sta;

import io.envmon.api.problem.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The query options of one request or one {@code $expand} item (OGC 18-088 §9.3): {@code $top,
 * $skip, $count, $orderby, $select, $expand, $filter}. An option envmon does not answer ({@code
 * $resultFormat}, {@code $search}, ...) or a malformed one is a 400 naming it.
 */
public record QueryOptions(
    Optional<Integer> top,
    int skip,
    boolean count,
    List<OrderBy> orderBy,
    List<String> select,
    List<Expand> expand,
    Optional<Filter> filter) {

  /** Entities per page without {@code $top}; and the most one page holds. */
  public static final int DEFAULT_TOP = 100;

  public static final int MAX_TOP = 1000;

  /**
   * The most {@code $expand}s one inside another ({@code Things?$expand=Datastreams($expand=
   * Observations)} is 2): each level multiplies the entities of an answer, so deeper is a 400.
   */
  public static final int MAX_EXPAND_DEPTH = 3;

  public static final QueryOptions NONE =
      new QueryOptions(
          Optional.empty(), 0, false, List.of(), List.of(), List.of(), Optional.empty());

  /** One key of {@code $orderby}. */
  public record OrderBy(Filter.Path path, boolean descending) {}

  /**
   * One navigation property to expand, with its own options, parsed and as given (for the expanded
   * collection's nextLink).
   */
  public record Expand(String navigation, QueryOptions options, Map<String, String> parameters) {}

  /** The page size: {@code $top}, at most {@link #MAX_TOP}, else {@link #DEFAULT_TOP}. */
  public int pageSize() {
    return Math.min(top.orElse(DEFAULT_TOP), MAX_TOP);
  }

  /** The options of a request's query string (only the {@code $} parameters are read). */
  public static QueryOptions of(Map<String, String> parameters) {
    return of(parameters, 1);
  }

  /** {@code depth}: 1 for the request's own options, 2 for those of its $expand items, ... */
  private static QueryOptions of(Map<String, String> parameters, int depth) {
    Optional<Integer> top = Optional.empty();
    int skip = 0;
    boolean count = false;
    List<OrderBy> orderBy = List.of();
    List<String> select = List.of();
    List<Expand> expand = List.of();
    Optional<Filter> filter = Optional.empty();
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      String name = parameter.getKey();
      String value = parameter.getValue().strip();
      switch (name) {
        case "$top" -> top = Optional.of(nonNegative(name, value));
        case "$skip" -> skip = nonNegative(name, value);
        case "$count" -> count = bool(name, value);
        case "$orderby" -> orderBy = orderBy(value);
        case "$select" -> select = select(value);
        case "$expand" -> expand = expand(value, depth);
        case "$filter" -> filter = Optional.of(filter(value));
        default -> {
          if (name.startsWith("$")) {
            throw InvalidRequestException.field(
                name,
                "is not supported; envmon's SensorThings API answers $top, $skip, $count,"
                    + " $orderby, $select, $expand and $filter");
          }
        }
      }
    }
    return new QueryOptions(top, skip, count, orderBy, select, expand, filter);
  }

  private static Filter filter(String value) {
    try {
      return FilterParser.parse(value);
    } catch (FilterParser.FilterException e) {
      throw InvalidRequestException.field("$filter", e.getMessage());
    }
  }

  private static int nonNegative(String name, String value) {
    try {
      int number = Integer.parseInt(value);
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw InvalidRequestException.field(name, "'" + value + "' is not a whole number >= 0");
  }

  private static boolean bool(String name, String value) {
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw InvalidRequestException.field(name, "must be true or false");
    };
  }

  private static List<OrderBy> orderBy(String value) {
    List<OrderBy> keys = new ArrayList<>();
    for (String key : splitTopLevel(value, ',', "$orderby")) {
      String[] words = key.strip().split("\\s+");
      if (words.length == 0 || words[0].isEmpty() || words.length > 2) {
        throw InvalidRequestException.field(
            "$orderby",
            "'" + key.strip() + "' is not a property optionally followed by asc or desc");
      }
      boolean descending = false;
      if (words.length == 2) {
        descending =
            switch (words[1].toLowerCase(Locale.ROOT)) {
              case "asc" -> false;
              case "desc" -> true;
              default ->
                  throw InvalidRequestException.field(
                      "$orderby", "'" + words[1] + "' is neither asc nor desc");
            };
      }
      if (words[0].contains("(")) {
        throw InvalidRequestException.field(
            "$orderby", "functions are not supported in $orderby: '" + words[0] + "'");
      }
      keys.add(new OrderBy(new Filter.Path(List.of(words[0].split("/"))), descending));
    }
    return List.copyOf(keys);
  }

  private static List<String> select(String value) {
    List<String> names = new ArrayList<>();
    for (String name : value.split(",")) {
      if (name.isBlank()) {
        throw InvalidRequestException.field("$select", "an empty property name in '" + value + "'");
      }
      names.add(name.strip());
    }
    return List.copyOf(names);
  }

  /**
   * {@code Datastreams($top=2;$orderby=id;$expand=Observations($top=1)),Locations}: items split at
   * the commas outside parentheses, each item's options at its semicolons outside parentheses.
   */
  private static List<Expand> expand(String value, int depth) {
    if (depth > MAX_EXPAND_DEPTH) {
      throw InvalidRequestException.field(
          "$expand", "at most " + MAX_EXPAND_DEPTH + " $expand one inside another");
    }
    List<Expand> items = new ArrayList<>();
    for (String item : splitTopLevel(value, ',', "$expand")) {
      String text = item.strip();
      int open = text.indexOf('(');
      String navigation = open < 0 ? text : text.substring(0, open).strip();
      QueryOptions options = NONE;
      Map<String, String> nested = new java.util.LinkedHashMap<>();
      if (open >= 0) {
        if (!text.endsWith(")")) {
          throw InvalidRequestException.field("$expand", "'" + text + "' lacks its closing ')'");
        }
        String inner = text.substring(open + 1, text.length() - 1);
        for (String option : splitTopLevel(inner, ';', "$expand")) {
          int equals = option.indexOf('=');
          if (equals < 1) {
            throw InvalidRequestException.field(
                "$expand",
                "'" + option.strip() + "' in " + navigation + "(...) is not $option=value");
          }
          nested.put(option.substring(0, equals).strip(), option.substring(equals + 1));
        }
        options = of(nested, depth + 1);
      }
      if (navigation.contains("/")) {
        // Things?$expand=Datastreams/Observations is Datastreams($expand=Observations)
        if (depth + navigation.split("/").length - 1 > MAX_EXPAND_DEPTH) {
          throw InvalidRequestException.field(
              "$expand", "at most " + MAX_EXPAND_DEPTH + " $expand one inside another");
        }
        int slash = navigation.indexOf('/');
        options =
            new QueryOptions(
                Optional.empty(),
                0,
                false,
                List.of(),
                List.of(),
                List.of(new Expand(navigation.substring(slash + 1), options, Map.copyOf(nested))),
                Optional.empty());
        nested =
            Map.of(
                "$expand",
                navigation.substring(slash + 1) + (open < 0 ? "" : text.substring(open)));
        navigation = navigation.substring(0, slash);
      }
      if (navigation.isEmpty()) {
        throw InvalidRequestException.field(
            "$expand", "an empty navigation property in '" + value + "'");
      }
      items.add(new Expand(navigation, options, Map.copyOf(nested)));
    }
    return List.copyOf(items);
  }

  /** Splits at {@code separator} outside parentheses and quotes; unbalanced is a 400. */
  static List<String> splitTopLevel(String value, char separator, String option) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
        if (depth < 0) {
          throw InvalidRequestException.field(option, "a ')' without its '(' in '" + value + "'");
        }
      } else if (!quoted && depth == 0 && c == separator) {
        parts.add(value.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0 || quoted) {
      throw InvalidRequestException.field(
          option, "unbalanced parentheses or quotes in '" + value + "'");
    }
    parts.add(value.substring(start));
    return parts;
  }
}
