package io.envmon.domain.reading;

/** The protocol a reading arrived by at the edge gateway. */
public enum Source {
  MQTT,
  COAP,
  COAPS,
  HJ212
}
