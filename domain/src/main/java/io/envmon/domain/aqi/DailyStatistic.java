package io.envmon.domain.aqi;

/**
 * One pollutant's statistic of a day: a 24h mean, or for O3 the daily maximum 8h mean. {@code
 * value} is null when the data do not make a valid statistic, and {@code missingReason} says why.
 * {@code basis} counts what it rests on: valid hourly means (24h), valid 8h means (O3), or points
 * (a city or cluster value).
 */
public record DailyStatistic(Double value, int basis, String missingReason) {

  public DailyStatistic {
    if ((value == null) == (missingReason == null)) {
      throw new IllegalArgumentException("a statistic has either a value or a missing reason");
    }
  }

  static DailyStatistic valid(double value, int basis) {
    return new DailyStatistic(value, basis, null);
  }

  static DailyStatistic missing(int basis, String reason) {
    return new DailyStatistic(null, basis, reason);
  }

  public boolean isValid() {
    return value != null;
  }
}
