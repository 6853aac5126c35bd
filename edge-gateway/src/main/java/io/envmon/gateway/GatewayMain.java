package io.envmon.gateway;

import io.envmon.gateway.health.HealthServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one city gateway: {@code java -cp … io.envmon.gateway.GatewayMain gateway.properties}
 * (docs/gateway.md "Running it"). Without an argument the configuration comes from the environment
 * only. Stops cleanly on SIGTERM / Ctrl-C.
 */
public final class GatewayMain {

  private static final Logger log = LoggerFactory.getLogger(GatewayMain.class);

  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    GatewayConfig config;
    try {
      config = GatewayConfig.load(file, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    log.info(
        "envmon gateway {} of city {} starting (configuration {})",
        config.gatewayId(),
        config.cityId(),
        file == null ? "from the environment" : file);
    Gateway gateway = new Gateway(config, Clock.systemUTC());
    try {
      gateway.start();
    } catch (Exception e) {
      // e.g. the broker refused the login (CONNACK 0x87) or a port is taken: stop what started
      // (its threads would keep the JVM alive) and exit.
      log.error("gateway {} cannot start: {}", config.gatewayId(), e.toString(), e);
      gateway.close();
      System.exit(1);
      return;
    }
    HealthServer health =
        config.healthPort() >= 0
            ? new HealthServer(
                    new InetSocketAddress(config.bindAddress(), config.healthPort()), gateway)
                .start()
            : null;
    log.info(
        "ready: MQTT {}, HJ 212 port {}, CoAP port {}, CoAPs port {}, health port {}",
        config.mqttUrl().isBlank() ? "off" : config.mqttUrl(),
        gateway.hj212() == null ? "off" : gateway.hj212().port(),
        gateway.coap() == null ? "off" : gateway.coap().port(),
        gateway.coap() == null ? "off" : gateway.coap().securePort(),
        health == null ? "off" : health.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping");
                  if (health != null) {
                    health.close();
                  }
                  gateway.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
  }
}
