package io.envmon.api.alerts;

import io.envmon.domain.alert.Alert;

/** One change of an alert, numbered by the {@code alert_event} sequence (the SSE event id). */
public record AlertEvent(long id, Alert alert) {}
