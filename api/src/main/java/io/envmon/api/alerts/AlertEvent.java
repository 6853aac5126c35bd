package io.envmon.api.alerts;

import io.envmon.domain.alert.Alert;
import java.time.Instant;
import java.util.Locale;

/**
 * One change of an alert, numbered by the {@code alert_event} sequence (the SSE event id): a
 * RAISED, ESCALATED or CLEARED record consumed from Kafka, or an ACKNOWLEDGED one written by {@code
 * POST /alerts/{id}/ack} (then {@code acknowledgedBy} and {@code acknowledgedAt} are set).
 */
public record AlertEvent(
    long id, String state, Alert alert, String acknowledgedBy, Instant acknowledgedAt) {

  public static final String ACKNOWLEDGED = "ACKNOWLEDGED";

  /** The SSE event name and webhook {@code X-Envmon-Event}: the state in lower case. */
  public String name() {
    return state.toLowerCase(Locale.ROOT);
  }

  /** The alert as this event shows it (the acknowledgement only on an acknowledged event). */
  public AlertView view() {
    return AlertView.of(new StoredAlert(alert, acknowledgedBy, acknowledgedAt));
  }
}
