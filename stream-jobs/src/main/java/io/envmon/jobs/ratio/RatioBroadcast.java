package io.envmon.jobs.ratio;

import io.envmon.domain.review.ReviewMark;
import io.envmon.jobs.ingest.PointUpdate;

/**
 * One element of the sharing-ratio function's broadcast input: a registry record or a bureau's
 * review mark (exactly one of the two is set; a record of two fields so that Flink serializes it as
 * the POJO it is).
 */
public record RatioBroadcast(PointUpdate point, ReviewMark mark) {

  public static RatioBroadcast of(PointUpdate point) {
    return new RatioBroadcast(point, null);
  }

  public static RatioBroadcast of(ReviewMark mark) {
    return new RatioBroadcast(null, mark);
  }
}
