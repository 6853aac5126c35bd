package io.envmon.jobs.ingest;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@code envmon.readings.v1} records; what does not decode goes to the {@link
 * #DEAD_LETTERS} side output with the reason, never failing the job. An arrival time ahead of the
 * platform clock is taken as "now", so nothing downstream is dated in the future; when it is ahead
 * by more than {@code tolerance} (a gateway whose own clock is wrong, not hosts a few milliseconds
 * apart) it is also counted ({@code arrivalsAheadOfClock}) and logged once per gateway.
 */
public final class DecodeReadings extends ProcessFunction<RawRecord, AcceptedReading> {

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
  private static final Logger LOG = LoggerFactory.getLogger(DecodeReadings.class);

  private final Clock platformClock;
  private final long toleranceMillis;
  private transient Counter arrivalsAhead;
  private transient Set<String> gatewaysAhead;

  public DecodeReadings(Clock platformClock, Duration tolerance) {
    this.platformClock = platformClock;
    this.toleranceMillis = tolerance.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    arrivalsAhead = getRuntimeContext().getMetricGroup().counter("arrivalsAheadOfClock");
    gatewaysAhead = new HashSet<>();
  }

  @Override
  public void processElement(RawRecord record, Context context, Collector<AcceptedReading> out) {
    try {
      out.collect(notAheadOfTheClock(AcceptedReadingJson.decode(record.value())));
    } catch (DecodeException e) {
      context.output(DEAD_LETTERS, DeadLetter.of(record, e.getMessage()));
    } catch (RuntimeException e) {
      context.output(DEAD_LETTERS, DeadLetter.of(record, "invalid reading: " + e.getMessage()));
    }
  }

  private AcceptedReading notAheadOfTheClock(AcceptedReading accepted) {
    Instant now = platformClock.instant();
    if (!accepted.receivedAt().isAfter(now)) {
      return accepted;
    }
    boolean clockWrong =
        accepted.receivedAt().toEpochMilli() - now.toEpochMilli() > toleranceMillis;
    if (clockWrong) {
      arrivalsAhead.inc();
      if (gatewaysAhead.add(accepted.gatewayId())) {
        LOG.warn(
            "gateway {} stamps arrivals ahead of the platform clock ({} at {}): taken as arriving"
                + " now; its clock needs fixing (counted in arrivalsAheadOfClock, logged once per"
                + " gateway)",
            accepted.gatewayId(),
            accepted.receivedAt(),
            now);
      }
    }
    return accepted.withReceivedAt(now);
  }
}
