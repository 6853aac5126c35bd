package io.envmon.e2e.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The plain subscriber of {@code ./envmon bench e2e}'s "Mosquitto alone" phase, a process of its
 * own: one Paho MQTT 5 client (the gateway's client library) subscribed at QoS 1 to {@code
 * $share/bench-plain/envmon/v1/{city}/+/up} (the only subscription the broker's dynamic-security
 * plugin grants the city's gateway login; the group's only member gets every message),
 * acknowledging each message as it arrives and doing nothing else. Prints {@code status EPOCH_MS
 * RECEIVED} every second until stdin closes.
 */
public final class PlainSubscriber {

  private PlainSubscriber() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args);
    AtomicLong received = new AtomicLong();
    MqttAsyncClient client =
        new MqttAsyncClient(
            options.required("mqtt"), "bench-plain-subscriber", new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
          }

          @Override
          public void disconnected(MqttDisconnectResponse response) {
            System.err.println("disconnected: " + response);
          }

          @Override
          public void mqttErrorOccurred(MqttException exception) {
            System.err.println("MQTT error: " + exception);
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    MqttConnectionOptions connection = new MqttConnectionOptions();
    connection.setCleanStart(true);
    connection.setUserName(options.required("user"));
    connection.setPassword(options.required("password").getBytes(StandardCharsets.UTF_8));
    client.connect(connection).waitForCompletion(10_000);
    IMqttToken subscribed = client.subscribe(options.required("topic"), 1);
    subscribed.waitForCompletion(10_000);
    int[] codes = subscribed.getReasonCodes();
    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
      throw new IllegalStateException(
          "the broker refused the subscription to "
              + options.required("topic")
              + " (reason code 0x"
              + Integer.toHexString(codes[0])
              + ")");
    }
    System.out.println("ready");
    System.out.flush();
    Thread status =
        new Thread(
            () -> {
              while (true) {
                System.out.printf("status %d %d%n", System.currentTimeMillis(), received.get());
                System.out.flush();
                try {
                  Thread.sleep(1000); // the status line's period
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-status");
    status.setDaemon(true);
    status.start();
    while (System.in.read() >= 0) {
      // runs until the coordinator closes stdin
    }
    System.out.printf("status %d %d%n", System.currentTimeMillis(), received.get());
    System.out.flush();
    client.disconnect().waitForCompletion(5_000);
    client.close();
    System.exit(0);
  }
}
