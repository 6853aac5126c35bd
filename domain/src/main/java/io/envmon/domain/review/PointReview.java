package io.envmon.domain.review;

import io.envmon.domain.reading.Parameter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The review marks of one point in the order they were made, and what they mean together: a value
 * is invalidated when the last mark covering it says INVALID. The raw values are not touched; this
 * only says which of them are not valid data.
 */
public record PointReview(List<ReviewMark> marks) {

  public static final PointReview NONE = new PointReview(List.of());

  public PointReview {
    marks = marks.stream().sorted(Comparator.comparingLong(ReviewMark::id)).toList();
  }

  public boolean isEmpty() {
    return marks.isEmpty();
  }

  /** The last mark covering the value of {@code parameter} at {@code time}, if any. */
  public Optional<ReviewMark> inForce(Parameter parameter, Instant time) {
    for (int i = marks.size() - 1; i >= 0; i--) {
      if (marks.get(i).covers(parameter, time)) {
        return Optional.of(marks.get(i));
      }
    }
    return Optional.empty();
  }

  /** Whether the value of {@code parameter} observed at {@code time} is invalidated. */
  public boolean invalidates(Parameter parameter, Instant time) {
    return inForce(parameter, time).map(m -> m.verdict() == Verdict.INVALID).orElse(false);
  }

  /**
   * The invalidated ranges of {@code parameter} within [from, to), disjoint and in time order, each
   * half-open [start, end).
   */
  public List<Range> invalidWithin(Parameter parameter, Instant from, Instant to) {
    List<Range> invalid = new ArrayList<>();
    for (ReviewMark mark : marks) {
      if (!mark.appliesTo(parameter)) {
        continue;
      }
      Range range = new Range(max(mark.from(), from), min(mark.to(), to));
      if (!range.start().isBefore(range.end())) {
        continue;
      }
      invalid = minus(invalid, range);
      if (mark.verdict() == Verdict.INVALID) {
        invalid.add(range);
        invalid.sort(Comparator.comparing(Range::start));
      }
    }
    return merged(invalid);
  }

  /** The ranges of [from, to) where {@code parameter}'s values are not invalidated, in order. */
  public List<Range> validWithin(Parameter parameter, Instant from, Instant to) {
    List<Range> valid = new ArrayList<>();
    Instant start = from;
    for (Range invalid : invalidWithin(parameter, from, to)) {
      if (start.isBefore(invalid.start())) {
        valid.add(new Range(start, invalid.start()));
      }
      start = invalid.end();
    }
    if (start.isBefore(to)) {
      valid.add(new Range(start, to));
    }
    return valid;
  }

  /** Whether some value of some parameter is invalidated within [from, to). */
  public boolean invalidatesAnyWithin(Instant from, Instant to) {
    for (Parameter parameter : Parameter.values()) {
      if (!invalidWithin(parameter, from, to).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** This review with one more mark (made after all of these). */
  public PointReview with(ReviewMark mark) {
    List<ReviewMark> more = new ArrayList<>(marks);
    more.add(mark);
    return new PointReview(more);
  }

  /** A half-open time range [start, end). */
  public record Range(Instant start, Instant end) {}

  private static List<Range> minus(List<Range> ranges, Range cut) {
    List<Range> left = new ArrayList<>();
    for (Range range : ranges) {
      if (!range.end().isAfter(cut.start()) || !range.start().isBefore(cut.end())) {
        left.add(range);
        continue;
      }
      if (range.start().isBefore(cut.start())) {
        left.add(new Range(range.start(), cut.start()));
      }
      if (range.end().isAfter(cut.end())) {
        left.add(new Range(cut.end(), range.end()));
      }
    }
    return left;
  }

  private static List<Range> merged(List<Range> sorted) {
    List<Range> merged = new ArrayList<>();
    for (Range range : sorted) {
      Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && !range.start().isAfter(last.end())) {
        merged.set(merged.size() - 1, new Range(last.start(), max(last.end(), range.end())));
      } else {
        merged.add(range);
      }
    }
    return merged;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
