package io.envmon.api.export;

import io.envmon.api.readings.ReadingSeries;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/** One line of an hourly or daily NDJSON export: a point's bucket starting at {@code start}. */
@Serdeable
public record ExportedBucket(
    String point,
    String city,
    Instant start,
    String startLocal,
    Map<String, ReadingSeries.Stats> values) {}
