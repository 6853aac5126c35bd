package io.envmon.gateway.mqtt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The real Mosquitto broker carries a station's reading from one Paho MQTT 5 client to another. */
@WithRealInfrastructure
class MosquittoRoundTripIT {

  @Test
  @DisplayName("a reading published with QoS 1 reaches the client subscribed to its topic")
  void qos1ReadingReachesSubscriber(Infrastructure infrastructure) throws MqttException {
    String run = UUID.randomUUID().toString();
    String topic = "envmon/v1/it-" + run + "/wujiang-air-01/up";
    String senml =
        "[{\"bn\":\"wujiang-air-01:\",\"bt\":1763683200,\"n\":\"pm25\",\"u\":\"ug/m3\",\"v\":35.2}]";
    BlockingQueue<MqttMessage> received = new LinkedBlockingQueue<>();

    MqttClient subscriber = connect(infrastructure, "it-subscriber-" + run, received);
    MqttClient publisher = connect(infrastructure, "it-publisher-" + run, null);
    try {
      subscriber.subscribe(topic, 1).waitForCompletion(10_000);
      // MqttClient.publish with QoS 1 returns once the broker's PUBACK arrived.
      publisher.publish(topic, senml.getBytes(UTF_8), 1, false);

      MqttMessage message =
          await().atMost(Duration.ofSeconds(10)).until(received::poll, m -> m != null);
      assertThat(new String(message.getPayload(), UTF_8)).isEqualTo(senml);
      assertThat(message.getQos()).isEqualTo(1);
    } finally {
      disconnect(publisher);
      disconnect(subscriber);
    }
  }

  private static MqttClient connect(
      Infrastructure infrastructure, String clientId, BlockingQueue<MqttMessage> inbox)
      throws MqttException {
    MqttClient client = new MqttClient(infrastructure.mqttUrl(), clientId, new MemoryPersistence());
    if (inbox != null) {
      client.setCallback(new Inbox(inbox));
    }
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setConnectionTimeout(10);
    client.connect(options);
    return client;
  }

  private static void disconnect(MqttClient client) throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }

  /** Puts every arriving message into a queue the test awaits. */
  private record Inbox(BlockingQueue<MqttMessage> messages) implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      messages.add(message);
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
