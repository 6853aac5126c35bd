package io.envmon.jobs.ingest;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes {@code envmon.readings.v1} records; what does not decode goes to the {@link
 * #DEAD_LETTERS} side output with the reason, never failing the job.
 */
public final class DecodeReadings extends ProcessFunction<RawRecord, AcceptedReading> {

  public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

  @Override
  public void processElement(RawRecord record, Context context, Collector<AcceptedReading> out) {
    try {
      out.collect(AcceptedReadingJson.decode(record.value()));
    } catch (DecodeException e) {
      context.output(DEAD_LETTERS, DeadLetter.of(record, e.getMessage()));
    } catch (RuntimeException e) {
      context.output(DEAD_LETTERS, DeadLetter.of(record, "invalid reading: " + e.getMessage()));
    }
  }
}
