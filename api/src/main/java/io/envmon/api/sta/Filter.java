package io.envmon.api.sta;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A parsed {@code $filter}: comparisons of a property path with a literal joined by and, or, not
 * (OData 4.01 §5.1.1.1 and §5.1.1.2, the subset envmon's SensorThings API evaluates). Parsed by
 * {@link FilterParser}.
 */
public sealed interface Filter {

  /** Whether the entity whose property paths {@code values} resolves is kept. */
  boolean test(Function<Path, Object> values);

  record Or(Filter left, Filter right) implements Filter {
    @Override
    public boolean test(Function<Path, Object> values) {
      return left.test(values) || right.test(values);
    }
  }

  record And(Filter left, Filter right) implements Filter {
    @Override
    public boolean test(Function<Path, Object> values) {
      return left.test(values) && right.test(values);
    }
  }

  record Not(Filter operand) implements Filter {
    @Override
    public boolean test(Function<Path, Object> values) {
      return !operand.test(values);
    }
  }

  /** {@code left op right}; a comparison of values of different types is false (ne: true). */
  record Comparison(Operator operator, Operand left, Operand right) implements Filter {
    @Override
    public boolean test(Function<Path, Object> values) {
      Object l = left.value(values);
      Object r = right.value(values);
      if (l == null || r == null) {
        return switch (operator) {
          case EQ -> l == r;
          case NE -> l != r;
          default -> false;
        };
      }
      Integer order = compare(l, r);
      if (order == null) {
        return operator == Operator.NE;
      }
      return switch (operator) {
        case EQ -> order == 0;
        case NE -> order != 0;
        case GT -> order > 0;
        case GE -> order >= 0;
        case LT -> order < 0;
        case LE -> order <= 0;
      };
    }
  }

  enum Operator {
    EQ,
    NE,
    GT,
    GE,
    LT,
    LE;

    /**
     * The operator the comparison means with its sides swapped ({@code 5 lt x} is {@code x gt 5}).
     */
    Operator swapped() {
      return switch (this) {
        case GT -> LT;
        case GE -> LE;
        case LT -> GT;
        case LE -> GE;
        default -> this;
      };
    }
  }

  /** One side of a comparison. */
  sealed interface Operand {
    Object value(Function<Path, Object> values);
  }

  /** A property path such as {@code name}, {@code properties/city} or {@code @iot.id}. */
  record Path(List<String> segments) implements Operand {
    @Override
    public Object value(Function<Path, Object> values) {
      return values.apply(this);
    }

    public String first() {
      return segments.get(0);
    }

    @Override
    public String toString() {
      return String.join("/", segments);
    }
  }

  /** A string, number ({@link BigDecimal}), instant, boolean or null. */
  record Literal(Object value) implements Operand {
    @Override
    public Object value(Function<Path, Object> values) {
      return value;
    }
  }

  /**
   * The order of two property values, or null when they are not comparable. Numbers compare as
   * numbers, instants as instants, strings and booleans as themselves.
   */
  static Integer compare(Object left, Object right) {
    if (left instanceof Number l && right instanceof Number r) {
      return finite(l) && finite(r)
          ? decimal(l).compareTo(decimal(r))
          : Double.compare(l.doubleValue(), r.doubleValue());
    }
    if (left instanceof Instant l && right instanceof Instant r) {
      return l.compareTo(r);
    }
    if (left instanceof String l && right instanceof String r) {
      return l.compareTo(r);
    }
    if (left instanceof Boolean l && right instanceof Boolean r) {
      return l.compareTo(r);
    }
    return Objects.equals(left, right) ? 0 : null;
  }

  private static boolean finite(Number number) {
    return !(number instanceof Double || number instanceof Float)
        || Double.isFinite(number.doubleValue());
  }

  private static BigDecimal decimal(Number number) {
    return number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
  }
}
