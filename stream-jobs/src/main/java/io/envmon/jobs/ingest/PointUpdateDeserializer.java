package io.envmon.jobs.ingest;

import io.envmon.domain.DecodeException;
import io.envmon.domain.point.MonitoringPointJson;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code envmon.points.v1}: key = point id, value = the point with its city's time facts, or
 * null (tombstone).
 */
public final class PointUpdateDeserializer
    implements KafkaRecordDeserializationSchema<PointUpdate> {
  private static final Logger LOG = LoggerFactory.getLogger(PointUpdateDeserializer.class);

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<PointUpdate> out) {
    if (record.key() == null) {
      LOG.warn(
          "points record without a key at {}-{}@{}",
          record.topic(),
          record.partition(),
          record.offset());
      return;
    }
    String pointId = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      out.collect(new PointUpdate(pointId, null, null, record.partition(), record.offset()));
      return;
    }
    try {
      MonitoringPointJson.Registered registered = MonitoringPointJson.decodeRecord(record.value());
      out.collect(
          new PointUpdate(
              pointId, registered.point(), registered.city(), record.partition(), record.offset()));
    } catch (DecodeException | RuntimeException e) {
      LOG.warn(
          "undecodable point {} at {}-{}@{}: {}",
          pointId,
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
    }
  }

  @Override
  public TypeInformation<PointUpdate> getProducedType() {
    return TypeInformation.of(PointUpdate.class);
  }
}
