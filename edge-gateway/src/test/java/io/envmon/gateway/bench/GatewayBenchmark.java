package io.envmon.gateway.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.envmon.domain.hj212.DataCommand;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlReadingEncoder;
import io.envmon.gateway.GatewayConfig;
import io.envmon.gateway.RunningGateway;
import io.envmon.gateway.TestPoints;
import io.envmon.gateway.spool.Spool;
import io.envmon.testsupport.Infrastructure;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Throughput benchmark of the edge gateway against the raw servers, all on this machine (not a
 * test; run by {@code ./envmon bench gateway}). Phases: raw Mosquitto (QoS 1 publishers → one
 * subscriber), raw Kafka (idempotent producer, acks=all, AcceptedReading JSON), then per spool
 * fsync policy the gateway over MQTT, CoAP and HJ 212, each reading accounted for in Kafka by its
 * reading id.
 *
 * <p>Arguments: {@code --seconds N} (per phase, default 8), {@code --publishers N} (MQTT
 * publishers, CoAP clients and HJ 212 connections, default 8), {@code --fsync
 * EVERY_APPEND,OPERATING_SYSTEM} (policies to measure, default both). The endpoints come from
 * {@code $ENVMON_INFRA_ENDPOINTS}.
 */
public final class GatewayBenchmark {

  /** Unacknowledged QoS 1 publishes per MQTT publisher (Mosquitto's receive maximum is 20). */
  private static final int MQTT_WINDOW = 10;

  /**
   * Messages published but not yet delivered (to the subscriber, or into Kafka through the
   * gateway), over all publishers. Mosquitto queues at most 1000 QoS 1 messages (its default
   * max_queued_messages) for a subscriber that does not keep up and drops the rest, though it has
   * PUBACKed them to the publisher (it did so with 500 undelivered in a trial run); the publishers
   * stay well below that, so the figure is what the subscriber takes, not what Mosquitto drops.
   */
  private static final int MQTT_MAX_UNDELIVERED = 200;

  private final Infrastructure infrastructure;
  private final int seconds;
  private final int publishers;
  private final Path workDir;
  private final Map<String, Double> figures = new HashMap<>();

  private GatewayBenchmark(Infrastructure infrastructure, int seconds, int publishers, Path work) {
    this.infrastructure = infrastructure;
    this.seconds = seconds;
    this.publishers = publishers;
    this.workDir = work;
  }

  public static void main(String[] args) throws Exception {
    int seconds = 8;
    int publishers = 8;
    List<String> policies = List.of("EVERY_APPEND", "OPERATING_SYSTEM");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--publishers" -> publishers = Integer.parseInt(args[++i]);
        case "--fsync" -> policies = List.of(args[++i].split(","));
        default -> {
          System.err.println(
              "usage: GatewayBenchmark [--seconds N] [--publishers N] [--fsync P1,P2]");
          System.exit(2);
        }
      }
    }
    String endpoints = System.getenv("ENVMON_INFRA_ENDPOINTS");
    if (endpoints == null) {
      System.err.println("ENVMON_INFRA_ENDPOINTS is not set (run it through ./envmon bench)");
      System.exit(2);
    }
    String dir = System.getenv("ENVMON_BENCH_DIR");
    Path work =
        dir == null
            ? Files.createTempDirectory("envmon-bench")
            : Files.createDirectories(Path.of(dir));
    GatewayBenchmark bench =
        new GatewayBenchmark(
            Infrastructure.fromEndpointsFile(Path.of(endpoints)), seconds, publishers, work);
    System.out.printf(
        "bench: %d s per phase, %d publishers/clients/connections, %d cores, Java %s%n",
        seconds,
        publishers,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    bench.rawMosquitto();
    bench.rawKafka();
    for (String policy : policies) {
      bench.gateway(policy);
    }
    bench.summary(policies);
    System.exit(0);
  }

  private static void line(String phase, String text) {
    System.out.printf("RESULT %-28s %s%n", phase, text);
  }

  // ---------------------------------------------------------------------------------------------
  // (a) raw Mosquitto

  private void rawMosquitto() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    AtomicLong received = new AtomicLong();
    MqttAsyncClient subscriber =
        new MqttAsyncClient(infrastructure.mqttUrl(), "bench-sub-" + run, new MemoryPersistence());
    subscriber.setCallback(
        new CallbackAdapter() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
          }
        });
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    subscriber.connect(options).waitForCompletion(10_000);
    subscriber.subscribe("bench/" + run + "/#", 1).waitForCompletion(10_000);
    byte[] payload = new byte[200];
    java.util.Arrays.fill(payload, (byte) 'x');
    PublishResult result =
        publishMqtt(run, i -> "bench/" + run + "/" + i, (i, n) -> payload, id -> {}, received::get);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.get() < result.acked && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    subscriber.disconnect().waitForCompletion(5_000);
    subscriber.close();
    double perSecond = result.delivered / result.elapsedSeconds;
    figures.put("raw-mqtt", perSecond);
    line(
        "(a) raw Mosquitto QoS 1",
        String.format(
            "%,.0f msg/s received by the subscriber (%,d in %.1f s), %,.0f msg/s PUBACKed;"
                + " %,d of %,d PUBACKed received in the end",
            perSecond,
            result.delivered,
            result.elapsedSeconds,
            result.acked / result.elapsedSeconds,
            received.get(),
            result.acked));
  }

  interface PayloadFactory {
    byte[] payload(int publisher, long n);
  }

  record PublishResult(long acked, long failed, long delivered, double elapsedSeconds) {}

  /** {@code publishers} async clients, each with {@link #MQTT_WINDOW} publishes in flight. */
  private PublishResult publishMqtt(
      String run,
      IntFunction<String> topicOf,
      PayloadFactory payloads,
      java.util.function.Consumer<Long> onAck,
      java.util.function.LongSupplier delivered)
      throws Exception {
    long deliveredBefore = delivered.getAsLong();
    AtomicLong published = new AtomicLong();
    List<MqttAsyncClient> clients = new ArrayList<>();
    for (int p = 0; p < publishers; p++) {
      MqttAsyncClient client =
          new MqttAsyncClient(
              infrastructure.mqttUrl(), "bench-pub-" + run + "-" + p, new MemoryPersistence());
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setCleanStart(true);
      client.connect(options).waitForCompletion(10_000);
      clients.add(client);
    }
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < publishers; p++) {
      int publisher = p;
      MqttAsyncClient client = clients.get(p);
      Semaphore window = new Semaphore(MQTT_WINDOW);
      Thread thread =
          new Thread(
              () -> {
                long n = 0;
                try {
                  while (!stop.get()) {
                    if (published.get() - (delivered.getAsLong() - deliveredBefore)
                        >= MQTT_MAX_UNDELIVERED) {
                      java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                      continue;
                    }
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                      continue;
                    }
                    long sequence = n++;
                    long key = ((long) publisher << 40) | sequence;
                    MqttMessage message = new MqttMessage(payloads.payload(publisher, sequence));
                    message.setQos(1);
                    published.incrementAndGet();
                    client.publish(
                        topicOf.apply(publisher),
                        message,
                        null,
                        new MqttActionListener() {
                          @Override
                          public void onSuccess(IMqttToken token) {
                            if (!stop.get()) {
                              acked.incrementAndGet();
                              onAck.accept(key);
                            }
                            window.release();
                          }

                          @Override
                          public void onFailure(IMqttToken token, Throwable e) {
                            failed.incrementAndGet();
                            window.release();
                          }
                        });
                  }
                  window.tryAcquire(MQTT_WINDOW, 10, TimeUnit.SECONDS);
                } catch (Exception e) {
                  System.err.println("publisher " + publisher + ": " + e);
                  failed.incrementAndGet();
                }
              },
              "bench-publisher-" + p);
      thread.start();
      threads.add(thread);
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    stop.set(true);
    double elapsed = (System.nanoTime() - start) / 1e9;
    long deliveredInWindow = delivered.getAsLong() - deliveredBefore;
    for (Thread thread : threads) {
      thread.join();
    }
    for (MqttAsyncClient client : clients) {
      client.disconnect().waitForCompletion(5_000);
      client.close();
    }
    return new PublishResult(acked.get(), failed.get(), deliveredInWindow, elapsed);
  }

  // ---------------------------------------------------------------------------------------------
  // (b) raw Kafka

  private void rawKafka() throws Exception {
    String topic = "bench.raw." + UUID.randomUUID().toString().substring(0, 8);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Reading reading =
        new Reading(
            Reading.idFor("bench-air-01", now),
            "bench-air-01",
            now,
            List.of(Measurement.valid(Parameter.PM25, 35.2), Measurement.valid(Parameter.PM10, 80)),
            Source.MQTT);
    byte[] value =
        AcceptedReadingJson.encode(
            new AcceptedReading(reading, "benchcity", PointKind.AIR, "bench-gw-1", 1234567, now));
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    double elapsed;
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(topic, "warm-up", value)).get(30, TimeUnit.SECONDS);
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      int i = 0;
      while (System.nanoTime() < end) {
        producer.send(
            new ProducerRecord<>(topic, "bench-air-" + (i++ % 64), value),
            (metadata, e) -> (e == null ? acked : failed).incrementAndGet());
      }
      producer.flush();
      elapsed = (System.nanoTime() - start) / 1e9;
    }
    double perSecond = acked.get() / elapsed;
    figures.put("raw-kafka", perSecond);
    line(
        "(b) raw Kafka acks=all",
        String.format(
            "%,.0f records/s acknowledged (%,d of %d bytes in %.1f s incl. flush, %d failed)",
            perSecond, acked.get(), value.length, elapsed, failed.get()));
  }

  // ---------------------------------------------------------------------------------------------
  // the gateway

  /** Counts the AcceptedReadings arriving on a readings topic, by reading id. */
  private static final class KafkaTally implements AutoCloseable {
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
    final AtomicLong records = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    KafkaTally(Infrastructure infrastructure, String topic) {
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  infrastructure.kafkaBootstrap(),
                  ConsumerConfig.GROUP_ID_CONFIG,
                  "bench-" + UUID.randomUUID(),
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                  "earliest",
                  ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                  StringDeserializer.class,
                  ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                  ByteArrayDeserializer.class));
      consumer.subscribe(List.of(topic));
      thread =
          new Thread(
              () -> {
                try (consumer) {
                  while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                      try {
                        String id =
                            AcceptedReadingJson.decode(record.value()).reading().readingId();
                        counts.merge(id, 1, Integer::sum);
                        records.incrementAndGet();
                      } catch (Exception e) {
                        System.err.println("undecodable record: " + e);
                      }
                    }
                  }
                }
              },
              "bench-kafka-tally");
      thread.start();
    }

    /** Waits until every id is in Kafka or nothing new arrived for 10 s. */
    void awaitAll(Set<String> ids) throws InterruptedException {
      long lastCount = -1;
      long lastProgress = System.nanoTime();
      while (true) {
        long present = ids.stream().filter(counts::containsKey).count();
        if (present == ids.size()) {
          return;
        }
        if (present != lastCount) {
          lastCount = present;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
          return;
        }
        Thread.sleep(100);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join();
    }
  }

  private void gateway(String policy) throws Exception {
    Path dir = Files.createDirectories(workDir.resolve(policy.toLowerCase()));
    int n = publishers;
    List<String> airPoints = new ArrayList<>();
    List<String> coapPoints = new ArrayList<>();
    List<String> waterPoints = new ArrayList<>();
    StringBuilder credentials = new StringBuilder();
    for (int i = 0; i < n; i++) {
      airPoints.add(String.format("bench-air-%03d", i));
      coapPoints.add(String.format("bench-coap-%03d", i));
      waterPoints.add(String.format("bench-water-%03d", i));
      credentials
          .append("device.station-")
          .append(i)
          .append(".points=")
          .append(waterPoints.get(i))
          .append('\n')
          .append("device.station-")
          .append(i)
          .append(".hj212.mn=")
          .append(mn(i))
          .append('\n')
          .append("device.station-")
          .append(i)
          .append(".hj212.pw=123456\n")
          // The CoAP clients send plain CoAP from this machine: their devices allow it.
          .append("device.coap-")
          .append(i)
          .append(".points=")
          .append(coapPoints.get(i))
          .append("\ndevice.coap-")
          .append(i)
          .append(".coap.plain-from=127.0.0.1\n");
    }
    Path credentialsFile = dir.resolve("devices.properties");
    Files.writeString(credentialsFile, credentials.toString());
    GatewayConfig config =
        RunningGateway.config(
            infrastructure,
            dir.resolve("spool"),
            Map.of(
                "spool.fsync",
                policy,
                "spool.cap.bytes",
                Long.toString(1L << 30),
                "spool.segment.bytes",
                Long.toString(8L << 20),
                "credentials.file",
                credentialsFile.toString(),
                "hj212.max.connections",
                Integer.toString(Math.max(16, n * 2)),
                // A benchmark floods on purpose: no per-device rate limit.
                "limit.rate.factor",
                "0"));
    List<MonitoringPoint> points = new ArrayList<>();
    airPoints.forEach(p -> points.add(TestPoints.air(p, config.cityId())));
    coapPoints.forEach(p -> points.add(TestPoints.air(p, config.cityId())));
    waterPoints.forEach(p -> points.add(TestPoints.water(p, config.cityId())));
    System.out.printf(
        "bench: gateway with spool.fsync=%s (spool in %s)%n", policy, dir.resolve("spool"));
    try (RunningGateway running = RunningGateway.start(infrastructure, config, points);
        KafkaTally tally = new KafkaTally(infrastructure, config.readingsTopic())) {
      gatewayMqtt(policy, running, airPoints, tally);
      gatewayCoap(policy, running, coapPoints, tally);
      gatewayHj212(policy, running, waterPoints, tally);
    }
  }

  private static String mn(int i) {
    return String.format("010000A8900016F000%06d", i);
  }

  /** The base instant of a phase: readings go back from it one second per reading. */
  private static Instant base() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
  }

  private static Reading airReading(String pointId, Instant observedAt, Source source) {
    return new Reading(
        Reading.idFor(pointId, observedAt),
        pointId,
        observedAt,
        List.of(Measurement.valid(Parameter.PM25, 35.2), Measurement.valid(Parameter.PM10, 80)),
        source);
  }

  private Spool phaseSpool;
  private long phaseSyncs;
  private long phaseSyncedAppends;

  /** Remembers the spool's group-commit counters at the start of a gateway phase. */
  private void phaseStart(RunningGateway running) {
    phaseSpool = running.gateway.spool();
    phaseSyncs = phaseSpool.groupSyncs();
    phaseSyncedAppends = phaseSpool.groupSyncedAppends();
  }

  /** Fsyncs of the phase so far and appends (one per message) each covered, when any. */
  private String groupCommit() {
    if (phaseSpool == null) {
      return "";
    }
    long syncs = phaseSpool.groupSyncs() - phaseSyncs;
    long appends = phaseSpool.groupSyncedAppends() - phaseSyncedAppends;
    return syncs == 0
        ? ""
        : String.format("; %,d fsyncs, %.1f appends per fsync", syncs, (double) appends / syncs);
  }

  private void account(
      String phase, long accepted, double elapsed, Set<String> ids, KafkaTally tally, String extra)
      throws InterruptedException {
    extra = extra + groupCommit();
    long t0 = System.nanoTime();
    tally.awaitAll(ids);
    double drain = (System.nanoTime() - t0) / 1e9;
    long present = 0;
    long duplicates = 0;
    for (String id : ids) {
      Integer count = tally.counts.get(id);
      if (count != null) {
        present++;
        duplicates += count - 1;
      }
    }
    double perSecond = accepted / elapsed;
    figures.put(phase, perSecond);
    line(
        phase,
        String.format(
            "%,.0f readings/s accepted (%,d in %.1f s)%s; in Kafka %,d (lost %d, duplicates %d),"
                + " Kafka caught up %.1f s after the phase",
            perSecond, accepted, elapsed, extra, present, ids.size() - present, duplicates, drain));
  }

  // (c) MQTT

  private void gatewayMqtt(
      String policy, RunningGateway running, List<String> points, KafkaTally tally)
      throws Exception {
    phaseStart(running);
    String run = UUID.randomUUID().toString().substring(0, 8);
    Instant base = base();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    PublishResult result =
        publishMqtt(
            run,
            p -> "envmon/v1/" + running.cityId + "/" + points.get(p) + "/up",
            (p, n) ->
                SenmlReadingEncoder.toJson(
                    airReading(points.get(p), base.minusSeconds(n), Source.MQTT)),
            key -> {
              int p = (int) (key >>> 40);
              long n = key & ((1L << 40) - 1);
              acked.add(Reading.idFor(points.get(p), base.minusSeconds(n)));
            },
            running.gateway.intake()::accepted);
    account(
        "(c) gateway MQTT " + policy,
        result.delivered,
        result.elapsedSeconds,
        acked,
        tally,
        String.format(
            " (spooled by the gateway; %,d PUBACKed by Mosquitto%s)",
            result.acked, result.failed > 0 ? ", " + result.failed + " failed" : ""));
  }

  // (d) CoAP

  private void gatewayCoap(
      String policy, RunningGateway running, List<String> points, KafkaTally tally)
      throws Exception {
    phaseStart(running);
    int port = running.gateway.coap().port();
    Instant base = base();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong refused = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    // Several synchronous clients per point: that many requests outstanding at once.
    int perPoint = 2;
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < points.size(); p++) {
      for (int k = 0; k < perPoint; k++) {
        String pointId = points.get(p);
        int lane = k;
        Thread thread =
            new Thread(
                () -> {
                  CoapClient client =
                      new CoapClient(
                          "coap://127.0.0.1:" + port + "/v1/points/" + pointId + "/readings");
                  client.setTimeout(10_000L);
                  // Its own UDP endpoint: one endpoint has 65,536 message ids per peer for
                  // EXCHANGE_LIFETIME (247 s), which a shared one exhausts within a run.
                  CoapEndpoint endpoint =
                      new CoapEndpoint.Builder()
                          .setConfiguration(Configuration.createStandardWithoutFile())
                          .build();
                  client.setEndpoint(endpoint);
                  long n = lane;
                  try {
                    while (!stop.get()) {
                      Reading reading = airReading(pointId, base.minusSeconds(n), Source.COAP);
                      n += perPoint;
                      CoapResponse response =
                          client.post(
                              SenmlReadingEncoder.toJson(reading),
                              MediaTypeRegistry.APPLICATION_SENML_JSON);
                      if (response != null && response.getCode() == CoAP.ResponseCode.CHANGED) {
                        if (!stop.get()) {
                          acked.add(reading.readingId());
                        }
                      } else {
                        refused.incrementAndGet();
                      }
                    }
                  } catch (Exception e) {
                    System.err.println("CoAP client: " + e);
                  } finally {
                    client.shutdown();
                    endpoint.destroy();
                  }
                },
                "bench-coap-" + p + "-" + k);
        thread.start();
        threads.add(thread);
      }
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    stop.set(true);
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (Thread thread : threads) {
      thread.join();
    }
    account(
        "(d) gateway CoAP " + policy,
        acked.size(),
        elapsed,
        acked,
        tally,
        String.format(", %d outstanding, %d not 2.04", threads.size(), refused.get()));
  }

  // (e) HJ 212

  private void gatewayHj212(
      String policy, RunningGateway running, List<String> points, KafkaTally tally)
      throws Exception {
    phaseStart(running);
    int port = running.gateway.hj212().port();
    Instant base = base();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong unanswered = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < points.size(); p++) {
      String pointId = points.get(p);
      String mn = mn(p);
      Thread thread =
          new Thread(
              () -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                  socket.setSoTimeout(10_000);
                  socket.setTcpNoDelay(true);
                  OutputStream out = socket.getOutputStream();
                  InputStream in = socket.getInputStream();
                  long n = 0;
                  while (!stop.get()) {
                    Instant observedAt = base.minusSeconds(n++);
                    Reading reading =
                        new Reading(
                            Reading.idFor(pointId, observedAt),
                            pointId,
                            observedAt,
                            List.of(
                                Measurement.valid(Parameter.PH, 7.2),
                                Measurement.valid(Parameter.DO, 6.4)),
                            Source.HJ212);
                    out.write(
                        Hj212Codec.encode(
                            Hj212ReadingMapper.toPacket(
                                reading,
                                DataCommand.REAL_TIME,
                                mn,
                                "123456",
                                Instant.now(),
                                Hj212Codec.DEFAULT_STATION_ZONE,
                                true)));
                    out.flush();
                    String reply = readLine(in);
                    if (reply.contains("CN=9014")) {
                      if (!stop.get()) {
                        acked.add(reading.readingId());
                      }
                    } else {
                      unanswered.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  System.err.println("HJ 212 connection: " + e);
                  unanswered.incrementAndGet();
                }
              },
              "bench-hj212-" + p);
      thread.start();
      threads.add(thread);
    }
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    stop.set(true);
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (Thread thread : threads) {
      thread.join();
    }
    account(
        "(e) gateway HJ 212 " + policy,
        acked.size(),
        elapsed,
        acked,
        tally,
        String.format(", %d connections, %d without 9014", threads.size(), unanswered.get()));
  }

  private static String readLine(InputStream in) throws java.io.IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      line.append((char) b);
      if (b == '\n') {
        break;
      }
    }
    return new String(
        line.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), UTF_8);
  }

  // ---------------------------------------------------------------------------------------------

  private void summary(List<String> policies) {
    double raw = figures.getOrDefault("raw-mqtt", Double.NaN);
    for (String policy : policies) {
      double gatewayMqtt = figures.getOrDefault("(c) gateway MQTT " + policy, Double.NaN);
      line(
          "ratio MQTT " + policy,
          String.format(
              "gateway MQTT / raw Mosquitto = %,.0f / %,.0f = %.3f",
              gatewayMqtt, raw, gatewayMqtt / raw));
    }
  }

  /** Does nothing for the callbacks a benchmark client does not need. */
  private abstract static class CallbackAdapter implements MqttCallback {
    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
