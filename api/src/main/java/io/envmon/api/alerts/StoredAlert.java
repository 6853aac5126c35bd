package io.envmon.api.alerts;

import io.envmon.domain.alert.Alert;
import java.time.Instant;

/** An alert as the API keeps it: the latest event of its episode and who acknowledged it. */
public record StoredAlert(Alert alert, String acknowledgedBy, Instant acknowledgedAt) {

  public boolean isAcknowledged() {
    return acknowledgedBy != null;
  }
}
