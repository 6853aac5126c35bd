package io.envmon.gateway;

import io.envmon.domain.hj212.Hj212FrameDecoder;
import io.envmon.domain.validation.ReadingValidator;
import io.envmon.gateway.coap.CoapIngest;
import io.envmon.gateway.forward.DeadLetters;
import io.envmon.gateway.forward.Forwarder;
import io.envmon.gateway.hj212.Hj212Server;
import io.envmon.gateway.limits.DeviceRateLimiter;
import io.envmon.gateway.mqtt.MqttIngest;
import io.envmon.gateway.registry.PointRegistry;
import io.envmon.gateway.registry.RegistryFollower;
import io.envmon.gateway.registry.RegistrySnapshot;
import io.envmon.gateway.spool.Spool;
import io.envmon.gateway.validation.RefusalCounter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One city gateway, wired from its configuration: registry follower, spool, forwarder and the
 * protocol listeners. {@link #close()} stops them in reverse order.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private final GatewayConfig config;
  private final PointRegistry registry = new PointRegistry();
  private final Spool spool;
  private final Intake intake;
  private final RegistryFollower registryFollower;
  private final Forwarder forwarder;
  private final DeadLetters deadLetters;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Clock clock;
  private final DeviceCredentials credentials;
  private MqttIngest mqtt;
  private Hj212Server hj212;
  private CoapIngest coap;
  private CredentialsReloader credentialsReloader;

  public Gateway(GatewayConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.credentials =
        config.credentialsFile() == null
            ? DeviceCredentials.none()
            : DeviceCredentials.load(config.credentialsFile());
    this.spool =
        Spool.open(
            new Spool.Options(
                config.spoolDirectory(),
                config.spoolCapBytes(),
                config.spoolSegmentBytes(),
                config.fsyncPolicy()));
    this.deadLetters =
        new DeadLetters(
            DeadLetters.producer(config.kafkaBootstrap(), config.gatewayId()),
            config.deadLetterTopic(),
            config.gatewayId(),
            config.cityId(),
            clock);
    this.intake =
        new Intake(
            config.gatewayId(),
            new ReadingValidator(
                config.cityId(), registry, clock, config.maxFutureSkew(), config.maxAge()),
            spool,
            new RefusalCounter(),
            deadLetters,
            new DeviceRateLimiter(config.deviceLimits(), clock),
            clock);
    this.registryFollower =
        new RegistryFollower(
            registry,
            RegistryFollower.consumer(config.kafkaBootstrap(), config.gatewayId()),
            config.pointsTopic(),
            new RegistrySnapshot(config.spoolDirectory().resolve("registry.jsonl")));
    this.forwarder =
        new Forwarder(
            spool,
            Forwarder.idempotentProducer(config.kafkaBootstrap(), config.gatewayId()),
            config.readingsTopic());
  }

  /** Starts every part; a listener that cannot start stops the gateway with its reason. */
  public Gateway start() throws Exception {
    Spool.Recovery recovery = spool.recovery();
    log.info(
        "spool {}: {} records recovered ({} bytes of a broken tail dropped), acknowledged up to {},"
            + " {} waiting for Kafka, cap {} bytes, fsync {}",
        config.spoolDirectory(),
        recovery.records(),
        recovery.droppedBytes(),
        recovery.acknowledgedSequence(),
        spool.depth(),
        config.spoolCapBytes(),
        config.fsyncPolicy());
    started.add(spool);
    started.add(deadLetters);
    registryFollower.start();
    started.add(registryFollower);
    forwarder.start();
    started.add(forwarder);
    log.info(
        "forwarding to Kafka {} topic {}; following {}",
        config.kafkaBootstrap(),
        config.readingsTopic(),
        config.pointsTopic());
    if (!config.mqttUrl().isBlank()) {
      mqtt =
          new MqttIngest(
              new MqttIngest.Options(
                  config.mqttUrl(),
                  "envmon-gateway-" + config.gatewayId(),
                  config.mqttUsername(),
                  config.mqttPassword(),
                  config.cityId(),
                  config.mqttSessionExpirySeconds(),
                  config.mqttSubscriptionGroup()),
              intake,
              credentials,
              clock);
      mqtt.start();
      started.add(mqtt);
    }
    if (config.hj212Port() >= 0) {
      hj212 =
          new Hj212Server(
              new InetSocketAddress(config.bindAddress(), config.hj212Port()),
              intake,
              credentials,
              config.hj212MaxConnections(),
              config.hj212ReadTimeout(),
              Hj212FrameDecoder.DEFAULT_MAX_DATA_LENGTH);
      hj212.start();
      started.add(hj212);
    }
    if (config.coapPort() >= 0 || config.coapsPort() >= 0) {
      coap =
          new CoapIngest(
              config.coapPort() >= 0
                  ? new InetSocketAddress(config.bindAddress(), config.coapPort())
                  : null,
              config.coapsPort() >= 0
                  ? new InetSocketAddress(config.bindAddress(), config.coapsPort())
                  : null,
              intake,
              credentials,
              clock);
      coap.start();
      started.add(coap);
    }
    if (config.credentialsFile() != null && !config.credentialsReloadInterval().isZero()) {
      credentialsReloader =
          new CredentialsReloader(config.credentialsFile(), credentials)
              .start(config.credentialsReloadInterval());
      started.add(credentialsReloader);
    }
    log.info(
        "gateway {} of city {} started: {} points known, {} devices with credentials",
        config.gatewayId(),
        config.cityId(),
        registry.size(),
        credentials.size());
    return this;
  }

  /** The CoAP and CoAPs listeners; null when both are disabled (port -1). */
  public CoapIngest coap() {
    return coap;
  }

  /** Watches the credentials file; null without one or with credentials.reload.seconds 0. */
  public CredentialsReloader credentialsReloader() {
    return credentialsReloader;
  }

  /** The devices in use (replaced in place when the credentials file is reloaded). */
  public DeviceCredentials credentials() {
    return credentials;
  }

  /** The HJ 212 server; null when disabled (hj212.port -1). */
  public Hj212Server hj212() {
    return hj212;
  }

  public PointRegistry registry() {
    return registry;
  }

  public Intake intake() {
    return intake;
  }

  public Spool spool() {
    return spool;
  }

  public DeadLetters deadLetters() {
    return deadLetters;
  }

  public Forwarder forwarder() {
    return forwarder;
  }

  public GatewayConfig config() {
    return config;
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("stopping {} failed", started.get(i).getClass().getSimpleName(), e);
      }
    }
    started.clear();
  }
}
