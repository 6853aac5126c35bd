package io.envmon.api.readings;

import io.envmon.api.registry.KafkaConfiguration;
import io.envmon.domain.DecodeException;
import io.envmon.domain.aqi.AqiStandardSchedule;
import io.envmon.domain.noise.NightWindow;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.review.PointReview;
import io.envmon.domain.wire.KafkaCatchUp;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recent readings of every point, kept in memory from Kafka {@code envmon.readings.v1} so that
 * "latest" for a city of 1,000 points is computed without a query per point (docs/api.md "Latest
 * readings"). Each API replica keeps a view of its own, read from {@link #LOOK_BACK} ago; until it
 * has read up to the end offsets it found at start, and after a failure of its Kafka client until
 * it has caught up again, "latest" is answered from InfluxDB. It keeps what any answer looks at
 * ({@link LatestCalculator#RETAINED}); a reading with the time of one already kept is laid over it,
 * as InfluxDB does; an undecodable record is counted ({@code envmon.latest.undecodable}) and
 * skipped.
 */
@Singleton
public class LatestView implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger log = LoggerFactory.getLogger(LatestView.class);

  /** How far back the view reads at start: the longest window of any kind, plus a margin. */
  static final Duration LOOK_BACK = Duration.ofHours(9);

  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
  private static final Duration CLIENT_RESTART = Duration.ofSeconds(5);
  private static final Duration TOPIC_CHECK = Duration.ofSeconds(10);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConfiguration kafka;
  private final LatestConfiguration configuration;
  private final Clock clock;
  private final AqiStandardSchedule aqiStandards;
  private final Map<String, PointReadings> points = new ConcurrentHashMap<>();
  private final AtomicLong kept = new AtomicLong();
  private final Counter undecodable;
  private final Counter consumed;
  private volatile boolean ready;
  private volatile boolean running;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  public LatestView(
      KafkaConfiguration kafka,
      LatestConfiguration configuration,
      Clock clock,
      MeterRegistry meters,
      AqiStandardSchedule aqiStandards) {
    this.kafka = kafka;
    this.configuration = configuration;
    this.clock = clock;
    this.aqiStandards = aqiStandards;
    this.undecodable = meters.counter("envmon.latest.undecodable");
    this.consumed = meters.counter("envmon.latest.consumed");
    meters.gauge("envmon.latest.ready", this, view -> view.ready ? 1 : 0);
    meters.gauge("envmon.latest.readings", kept);
  }

  /**
   * A point's readings that "latest" at {@code now} looks at, newest first (those of its registered
   * kind); empty while the view is not ready.
   */
  Optional<List<RecentReading>> newestFirst(MonitoringPoint point, Instant now) {
    if (!ready) {
      return Optional.empty();
    }
    PointReadings readings = points.get(point.id());
    long from = LatestCalculator.from(point.kind(), now).toEpochMilli();
    return Optional.of(
        readings == null
            ? List.of()
            : readings.newestFirst(point.kind(), from, now.toEpochMilli()));
  }

  /**
   * A point's "latest" at {@code now}, from its kept readings (the answer is reused while nothing
   * it depends on changed: {@link PointReadings#latest}); empty while the view is not ready.
   */
  Optional<LatestReading> latest(MonitoringPoint point, Instant now, ZoneId cityZone) {
    return latest(point, now, cityZone, NightWindow.DEFAULT);
  }

  /** The same with the city's noise night window. */
  Optional<LatestReading> latest(
      MonitoringPoint point, Instant now, ZoneId cityZone, NightWindow night) {
    return latest(point, now, cityZone, night, PointReview.NONE);
  }

  /** The same without the values the point's review invalidated. */
  Optional<LatestReading> latest(
      MonitoringPoint point, Instant now, ZoneId cityZone, NightWindow night, PointReview review) {
    if (!ready) {
      return Optional.empty();
    }
    PointReadings readings = points.get(point.id());
    return Optional.of(
        readings == null
            ? LatestCalculator.latest(point, List.of(), now, () -> cityZone, night, aqiStandards)
            : readings.latest(point, now, cityZone, night, aqiStandards, review));
  }

  /** Whether "latest" is answered from this view. */
  public boolean ready() {
    return ready;
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (!configuration.viewEnabled() || running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "latest-view");
    thread.setDaemon(true);
    thread.start();
  }

  @PreDestroy
  synchronized void stop() throws InterruptedException {
    running = false;
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (thread != null) {
      thread.join(10_000);
    }
  }

  /** Adds one reading (the consumer's thread; tests). */
  void add(AcceptedReading accepted) {
    RecentReading reading = RecentReading.of(accepted);
    if (reading.timeMillis() < oldestKept(reading.kind())) {
      return;
    }
    if (points
        .computeIfAbsent(accepted.reading().pointId(), id -> new PointReadings())
        .add(reading)) {
      kept.incrementAndGet();
    }
  }

  private long oldestKept(PointKind kind) {
    return clock.instant().minus(LatestCalculator.RETAINED.get(kind)).toEpochMilli();
  }

  private void prune() {
    long removed = 0;
    for (var entry : points.entrySet()) {
      removed += entry.getValue().prune(this::oldestKept);
      if (entry.getValue().isEmpty()) {
        points.remove(entry.getKey(), entry.getValue());
      }
    }
    kept.addAndGet(-removed);
  }

  private void run() {
    while (running) {
      try {
        consume();
      } catch (RuntimeException e) {
        ready = false;
        log.error("Latest view: Kafka consumer failed, restarting in {}", CLIENT_RESTART, e);
        sleep(CLIENT_RESTART);
      }
    }
  }

  private void consume() {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    // A fetch answers once 64 KB wait or after 100 ms, not for each reading: at a low rate the
    // broker otherwise answers a fetch per reading (docs/performance.md, "Fixed costs").
    properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536);
    properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    try (KafkaConsumer<byte[], byte[]> kafkaConsumer =
        new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = kafkaConsumer;
      List<TopicPartition> partitions = waitForTopic(kafkaConsumer);
      if (partitions.isEmpty()) {
        return; // stopped
      }
      KafkaCatchUp end = seekToLookBack(kafkaConsumer, partitions);
      Instant nextPrune = clock.instant().plus(PRUNE_EVERY);
      Instant nextTopicCheck = clock.instant().plus(TOPIC_CHECK);
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : kafkaConsumer.poll(Duration.ofMillis(200))) {
          consumed.increment();
          decode(record).ifPresent(this::add);
        }
        if (!ready && end.reachedBy(kafkaConsumer)) {
          ready = true;
          log.info(
              "Latest view ready: {} readings of {} points kept from {}",
              kept.get(),
              points.size(),
              configuration.topic());
        }
        Instant now = clock.instant();
        if (now.isAfter(nextPrune)) {
          prune();
          nextPrune = now.plus(PRUNE_EVERY);
        }
        if (now.isAfter(nextTopicCheck)) {
          nextTopicCheck = now.plus(TOPIC_CHECK);
          if (partitionsOf(kafkaConsumer).size() != partitions.size()) {
            log.info("Latest view: {} has new partitions, reading it anew", configuration.topic());
            ready = false;
            return;
          }
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer = null;
    }
  }

  /** The topic's partitions, once it exists; a view of a topic that does not exist is empty. */
  private List<TopicPartition> waitForTopic(KafkaConsumer<byte[], byte[]> kafkaConsumer) {
    boolean logged = false;
    while (running) {
      List<TopicPartition> partitions = partitionsOf(kafkaConsumer);
      if (!partitions.isEmpty()) {
        kafkaConsumer.assign(partitions);
        return partitions;
      }
      // Nothing was ever produced to it: nothing to catch up with.
      ready = true;
      if (!logged) {
        log.info("Latest view: {} does not exist yet, waiting for it", configuration.topic());
        logged = true;
      }
      sleep(TOPIC_CHECK);
    }
    return List.of();
  }

  private List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> kafkaConsumer) {
    return KafkaCatchUp.partitionsOf(kafkaConsumer, configuration.topic(), KAFKA_TIMEOUT);
  }

  /** Seeks each partition to its first record of the last {@link #LOOK_BACK}; the end offsets. */
  private KafkaCatchUp seekToLookBack(
      KafkaConsumer<byte[], byte[]> kafkaConsumer, List<TopicPartition> partitions) {
    long since = clock.instant().minus(LOOK_BACK).toEpochMilli();
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(p -> times.put(p, since));
    KafkaCatchUp end = KafkaCatchUp.toEndOf(kafkaConsumer, partitions, KAFKA_TIMEOUT);
    Map<TopicPartition, OffsetAndTimestamp> start =
        kafkaConsumer.offsetsForTimes(times, KAFKA_TIMEOUT);
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = start.get(partition);
      kafkaConsumer.seek(
          partition, offset == null ? end.endOffsets().get(partition) : offset.offset());
    }
    log.info(
        "Latest view: reading {} from {} up to {}",
        configuration.topic(),
        Instant.ofEpochMilli(since),
        end);
    return end;
  }

  private Optional<AcceptedReading> decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      if (record.value() == null) {
        throw new DecodeException("empty record", "value");
      }
      return Optional.of(AcceptedReadingJson.decode(record.value()));
    } catch (DecodeException | RuntimeException e) {
      undecodable.increment();
      log.debug(
          "Latest view: skipping undecodable record {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return Optional.empty();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
