package io.envmon.jobs.ingest;

import io.envmon.domain.DecodeException;
import io.envmon.domain.review.ReviewMark;
import io.envmon.domain.review.ReviewMarkJson;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code envmon.review-marks.v1}: key = point id, value = the mark ({@link ReviewMarkJson}).
 * An undecodable record is logged and skipped: the marks are the API's, written from validated
 * requests.
 */
public final class ReviewMarkDeserializer implements KafkaRecordDeserializationSchema<ReviewMark> {
  private static final Logger LOG = LoggerFactory.getLogger(ReviewMarkDeserializer.class);

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ReviewMark> out) {
    try {
      out.collect(ReviewMarkJson.decode(record.value()));
    } catch (DecodeException | RuntimeException e) {
      LOG.warn(
          "undecodable review mark at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    }
  }

  @Override
  public TypeInformation<ReviewMark> getProducedType() {
    return TypeInformation.of(ReviewMark.class);
  }
}
