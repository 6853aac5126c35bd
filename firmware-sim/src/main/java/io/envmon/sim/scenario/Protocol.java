package io.envmon.sim.scenario;

import io.envmon.domain.reading.Source;

/** How a simulated station talks to its city's gateway. */
public enum Protocol {
  MQTT(Source.MQTT),
  COAP(Source.COAP),
  COAPS(Source.COAPS),
  HJ212(Source.HJ212);

  private final Source source;

  Protocol(Source source) {
    this.source = source;
  }

  public Source source() {
    return source;
  }
}
