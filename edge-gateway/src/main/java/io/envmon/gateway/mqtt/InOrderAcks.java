package io.envmon.gateway.mqtt;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Sends PUBACKs in the order the messages arrived, whatever order they became durable in (MQTT 5
 * section 4.6, [MQTT-4.6.0-2]: a client sends PUBACKs in the order the PUBLISH packets were
 * received). Each arrival takes a {@link Slot}; {@link #done} marks it acknowledgeable and sends
 * the PUBACKs of the done slots at the head of the line. A {@link #skip}ped slot (not spooled: the
 * broker sends it again after a reconnect) is passed over without a PUBACK. A message received on a
 * connection that has since been lost is never acknowledged: after a reconnect its packet id may
 * name another message, and the broker sends it again anyway.
 */
final class InOrderAcks {

  /** One received message's place in the line. */
  static final class Slot {
    private final MqttMessage message;
    private final long connection;
    private State state = State.WAITING; // guarded by the InOrderAcks

    private Slot(MqttMessage message, long connection) {
      this.message = message;
      this.connection = connection;
    }
  }

  private enum State {
    WAITING,
    ACKNOWLEDGE,
    SKIP
  }

  private final Consumer<MqttMessage> puback;
  private final ArrayDeque<Slot> line = new ArrayDeque<>();
  private long connection;
  private long sent;

  /** {@code puback} sends the PUBACK of a message; it is called in arrival order, one at a time. */
  InOrderAcks(Consumer<MqttMessage> puback) {
    this.puback = Objects.requireNonNull(puback, "puback");
  }

  synchronized Slot arrived(MqttMessage message) {
    Slot slot = new Slot(message, connection);
    line.addLast(slot);
    return slot;
  }

  /** The message is spooled (or needs nothing spooled): its PUBACK may go once its turn comes. */
  void done(Slot slot) {
    finish(slot, State.ACKNOWLEDGE);
  }

  /** The message will not be acknowledged; later ones must not wait for it. */
  void skip(Slot slot) {
    finish(slot, State.SKIP);
  }

  /** The connection was lost or re-established: earlier messages are no longer acknowledged. */
  synchronized void newConnection() {
    connection++;
    drain();
  }

  /** Whether the slot's message came on the current connection. */
  synchronized boolean isCurrent(Slot slot) {
    return slot.connection == connection;
  }

  /** PUBACKs sent so far. */
  synchronized long sent() {
    return sent;
  }

  /** Messages waiting for their PUBACK (done or not). */
  synchronized int waiting() {
    return line.size();
  }

  private synchronized void finish(Slot slot, State state) {
    if (slot.state != State.WAITING) {
      return;
    }
    slot.state = state;
    drain();
  }

  private void drain() {
    while (!line.isEmpty() && line.peekFirst().state != State.WAITING) {
      Slot head = line.pollFirst();
      if (head.state == State.ACKNOWLEDGE && head.connection == connection) {
        puback.accept(head.message);
        sent++;
      }
    }
  }
}
