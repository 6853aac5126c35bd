package io.envmon.domain.reading;

/**
 * The protocol a reading arrived by at the edge gateway, or IMPORT: a file of history uploaded to
 * the API.
 */
public enum Source {
  MQTT,
  COAP,
  COAPS,
  HJ212,
  IMPORT
}
