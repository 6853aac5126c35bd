package io.envmon.gateway.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

class InOrderAcksTest {

  private final List<Integer> pubacks = new ArrayList<>();
  private final InOrderAcks acks = new InOrderAcks(message -> pubacks.add(message.getId()));

  private static MqttMessage message(int id) {
    MqttMessage message = new MqttMessage(new byte[0], 1, false, null);
    message.setId(id);
    return message;
  }

  @Test
  void pubacksGoInArrivalOrderWhateverOrderTheMessagesBecameDurableIn() {
    InOrderAcks.Slot first = acks.arrived(message(1));
    InOrderAcks.Slot second = acks.arrived(message(2));
    InOrderAcks.Slot third = acks.arrived(message(3));

    acks.done(third);
    acks.done(second);
    assertThat(pubacks).isEmpty(); // the first is not durable yet
    assertThat(acks.waiting()).isEqualTo(3);

    acks.done(first);
    assertThat(pubacks).containsExactly(1, 2, 3);
    assertThat(acks.waiting()).isZero();
  }

  @Test
  void aSkippedMessageIsNeverAcknowledgedAndDoesNotHoldBackLaterOnes() {
    InOrderAcks.Slot failed = acks.arrived(message(1));
    InOrderAcks.Slot next = acks.arrived(message(2));
    acks.done(next);
    acks.skip(failed);
    assertThat(pubacks).containsExactly(2);
    acks.done(failed); // too late: a slot is finished once
    assertThat(pubacks).containsExactly(2);
  }

  @Test
  void messagesOfALostConnectionAreNotAcknowledgedOnTheNextOne() {
    InOrderAcks.Slot old = acks.arrived(message(7));
    acks.newConnection();
    assertThat(acks.isCurrent(old)).isFalse();
    InOrderAcks.Slot redelivered = acks.arrived(message(7));
    acks.done(old);
    assertThat(pubacks).isEmpty(); // packet id 7 may now name another message
    acks.done(redelivered);
    assertThat(pubacks).containsExactly(7);
    assertThat(acks.sent()).isEqualTo(1);
  }
}
