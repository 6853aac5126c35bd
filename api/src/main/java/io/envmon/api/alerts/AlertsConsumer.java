package io.envmon.api.alerts;

import io.envmon.domain.DecodeException;
import io.envmon.domain.alert.Alert;
import io.envmon.domain.alert.AlertJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.configuration.kafka.annotation.ErrorStrategy;
import io.micronaut.configuration.kafka.annotation.ErrorStrategyValue;
import io.micronaut.configuration.kafka.annotation.KafkaListener;
import io.micronaut.configuration.kafka.annotation.OffsetReset;
import io.micronaut.configuration.kafka.annotation.OffsetStrategy;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.messaging.Acknowledgement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.IsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code envmon.alerts.v1} into PostgreSQL in the API's own consumer group, a
 * micronaut-kafka batch listener (docs/api.md "Consuming Kafka"). Each poll is stored in one
 * transaction and its offsets committed after it, so a crash redelivers, which {@link
 * AlertStore#recordAll} absorbs. An undecodable record is logged, counted ({@code
 * envmon.alerts.undecodable}) and skipped; a poll that cannot be stored is retried from its first
 * record after a second, for as long as it takes (the error strategy: an alert is never skipped).
 */
@Requires(property = "envmon.alerts.consumer-enabled", notEquals = "false")
@KafkaListener(
    groupId = "${envmon.alerts.consumer-group:envmon-api-alerts}",
    batch = true,
    offsetReset = OffsetReset.EARLIEST,
    offsetStrategy = OffsetStrategy.DISABLED,
    // Only committed records: everything the API announces (SSE, MQTT, webhooks) follows the table
    // this fills, and an alert of a transaction the jobs abort is one their restored state knows
    // nothing of (docs/alerts.md, "Only committed alerts are announced").
    isolation = IsolationLevel.READ_COMMITTED,
    properties = @Property(name = ConsumerConfig.METADATA_MAX_AGE_CONFIG, value = "30000"),
    errorStrategy =
        @ErrorStrategy(
            value = ErrorStrategyValue.RETRY_ON_ERROR,
            retryDelay = "1s",
            retryCount = Integer.MAX_VALUE))
public class AlertsConsumer {

  private static final Logger log = LoggerFactory.getLogger(AlertsConsumer.class);

  private final AlertStore store;
  private final Counter undecodable;
  private final Counter stored;

  public AlertsConsumer(AlertStore store, MeterRegistry meters) {
    this.store = store;
    this.undecodable = meters.counter("envmon.alerts.undecodable");
    this.stored = meters.counter("envmon.alerts.stored");
  }

  /**
   * Stores one poll and commits its offsets (one commit per partition's last record). The whole
   * poll goes in one PostgreSQL transaction (a transaction per alert change, an fsync each, and a
   * commit per record, a broker round trip each, capped the cluster's alert rate). Should that fail
   * the records go one by one, so the one that cannot be stored is named; the poll is then retried.
   */
  @Topic("${envmon.alerts.topic:envmon.alerts.v1}")
  void consume(ConsumerRecords<String, byte[]> records, Acknowledgement acknowledgement) {
    if (!storeAll(records)) {
      storeOneByOne(records);
    }
    acknowledgement.ack();
  }

  /** Stores every decodable record of a poll in one transaction; false when that failed. */
  private boolean storeAll(ConsumerRecords<String, byte[]> records) {
    List<AlertStore.Change> changes = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      Alert alert = decode(record);
      if (alert != null) {
        changes.add(new AlertStore.Change(alert, record.value()));
      }
    }
    // In the order of the changes' times, across partitions (a stable sort keeps each alert's own
    // changes, which one partition holds, in their order): two episodes of a point in two
    // partitions are then stored as they happened, not the later first (which closes the earlier
    // one as superseded on arrival).
    changes.sort(Comparator.comparing(change -> change.alert().updatedAt()));
    try {
      stored.increment(store.recordAll(changes));
      return true;
    } catch (Exception e) { // a DataAccessException, or what the transaction rethrows
      log.warn(
          "Could not store a batch of {} alert changes, storing them one by one: {}",
          changes.size(),
          e.toString());
      return false;
    }
  }

  /**
   * Stores the records of a poll one by one; the first that fails is named and ends the attempt
   * with an {@link AlertNotStored}, upon which the error strategy seeks the poll's partitions back
   * to where it began and polls again after a pause (the records stored meanwhile come again and
   * are absorbed).
   */
  private void storeOneByOne(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      Alert alert = decode(record);
      if (alert == null) {
        continue;
      }
      try {
        if (store.record(alert, record.value())) {
          stored.increment();
        }
      } catch (Exception e) {
        log.warn(
            "Could not store alert {} ({}) of {}-{}@{}, retrying: {}",
            alert.alertId(),
            alert.state(),
            record.topic(),
            record.partition(),
            record.offset(),
            e.toString());
        throw new AlertNotStored(alert, e);
      }
    }
  }

  /** The record's alert, or null when it does not decode (logged and counted, then skipped). */
  private Alert decode(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.value() == null) {
        throw new DecodeException("empty record", "value");
      }
      return AlertJson.decode(record.value());
    } catch (DecodeException | RuntimeException e) {
      undecodable.increment();
      log.warn(
          "Skipping undecodable alert record {}-{}@{} (key {}): {}",
          record.topic(),
          record.partition(),
          record.offset(),
          record.key(),
          e.getMessage());
      return null;
    }
  }

  /** An alert change PostgreSQL did not take; its poll is retried. */
  static final class AlertNotStored extends RuntimeException {
    AlertNotStored(Alert alert, Exception cause) {
      super("alert " + alert.alertId() + " (" + alert.state() + ") not stored", cause);
    }
  }
}
