package io.envmon.gateway.forward;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.gateway.spool.Spool;
import io.envmon.gateway.spool.SpoolReader;
import io.envmon.gateway.spool.Spooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the spool to Kafka {@code envmon.readings.v1}, keyed by point id, in spool order, through
 * a {@link SpoolReader} of its own. Marks a batch acknowledged in the spool only once Kafka
 * acknowledged every record of it (acks=all); when Kafka is unreachable it retries the same batch
 * with back-off while the spool keeps accepting.
 */
public final class Forwarder implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Forwarder.class);
  private static final int BATCH = 500;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final Spool spool;
  private final Producer<String, byte[]> producer;
  private final String topic;
  private final Thread thread;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private volatile boolean running = true;
  private volatile String lastError = "";

  public Forwarder(Spool spool, Producer<String, byte[]> producer, String topic) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.thread = new Thread(this::run, "forwarder-" + topic);
    thread.setDaemon(true);
  }

  /** An idempotent producer that waits for every in-sync replica (acks=all). */
  public static Producer<String, byte[]> idempotentProducer(String bootstrap, String gatewayId) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.CLIENT_ID_CONFIG,
            "envmon-gateway-" + gatewayId,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            10_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class));
  }

  public void start() {
    thread.start();
  }

  /** Readings Kafka acknowledged since start. */
  public long forwarded() {
    return forwarded.get();
  }

  /** Readings spooled that Kafka has not acknowledged yet. */
  public long lag() {
    return spool.depth();
  }

  public long failedAttempts() {
    return failedAttempts.get();
  }

  public String lastError() {
    return lastError;
  }

  private void run() {
    try (SpoolReader reader = spool.readerAfter(spool.acknowledgedSequence())) {
      forward(reader);
    }
  }

  /** Sends batch after batch; a batch Kafka did not take is kept and sent again. */
  private void forward(SpoolReader reader) {
    List<Spooled> batch = List.of();
    long backoffMillis = 100;
    while (running) {
      try {
        if (batch.isEmpty()) {
          batch = reader.next(BATCH);
          if (batch.isEmpty()) {
            spool.checkpointIfDue();
            reader.awaitNext(200);
            continue;
          }
        }
        send(batch);
        spool.acknowledge(batch.get(batch.size() - 1).sequence());
        forwarded.addAndGet(batch.size());
        batch = List.of();
        backoffMillis = 100;
        lastError = "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException | KafkaException e) {
        failedAttempts.incrementAndGet();
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        lastError = String.valueOf(cause);
        if (failedAttempts.get() % 20 == 1) {
          log.warn(
              "Kafka did not take {} spooled readings ({}); keeping them and retrying",
              spool.depth(),
              cause.toString());
        }
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
      } catch (RuntimeException e) {
        failedAttempts.incrementAndGet();
        lastError = String.valueOf(e);
        log.error("forwarding failed unexpectedly; retrying", e);
        try {
          Thread.sleep(MAX_BACKOFF.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Sends the spooled bytes as they are (the record's value on {@code envmon.readings.v1} is the
   * spool's JSON), keyed by the point id read from their start: no reading is decoded and encoded
   * again (that was about two thirds of the forwarder's CPU, docs/performance.md).
   */
  private void send(List<Spooled> batch)
      throws ExecutionException, InterruptedException, TimeoutException {
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    for (Spooled spooled : batch) {
      String pointId;
      try {
        pointId = AcceptedReadingJson.pointIdOf(spooled.json());
      } catch (DecodeException e) {
        throw new IllegalStateException(
            "spool record " + spooled.sequence() + " has no point id: " + e.getMessage(), e);
      }
      acks.add(producer.send(new ProducerRecord<>(topic, pointId, spooled.json())));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get(60, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
