package io.envmon.api.export;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * The longest range one export may ask for per interval, and how many stored rows are read from
 * InfluxDB at a time ({@code envmon.export}); the export streams page by page, so the range is
 * bounded for the time one request takes, not for memory.
 */
@ConfigurationProperties("envmon.export")
public record ExportLimits(
    @Bindable(defaultValue = "8784h") Duration maxRawRange,
    @Bindable(defaultValue = "8784h") Duration maxHourlyRange,
    @Bindable(defaultValue = "87840h") Duration maxDailyRange,
    @Bindable(defaultValue = "5000") @Positive int pageRows) {}
