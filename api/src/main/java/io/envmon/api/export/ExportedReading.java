package io.envmon.api.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.envmon.api.readings.ReadingSeries;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/** One line of a raw NDJSON export: a stored reading of a point, in UTC and the city's time. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExportedReading(
    String point,
    String city,
    Instant time,
    String timeLocal,
    Map<String, Double> values,
    Map<String, String> flags,
    @Nullable String source,
    @Nullable Map<String, ReadingSeries.Review> review) {}
