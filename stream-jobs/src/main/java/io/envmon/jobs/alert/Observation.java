package io.envmon.jobs.alert;

import io.envmon.domain.alert.AlertSeverity;
import java.time.Instant;
import java.util.Map;

/**
 * One assessment (with the text an alert would show, in English and Chinese) of a point for one
 * alert type: whether it breaches, how badly, with the values and threshold an alert would show.
 */
public record Observation(
    boolean breaching,
    AlertSeverity severity,
    Map<String, Double> values,
    Double threshold,
    String message,
    String messageZh,
    Instant at) {}
