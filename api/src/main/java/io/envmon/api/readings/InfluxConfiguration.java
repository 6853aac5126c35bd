package io.envmon.api.readings;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;

/** Where the readings and sharing ratios are ({@code envmon.influx}). */
@ConfigurationProperties("envmon.influx")
public record InfluxConfiguration(
    @NotBlank String url,
    @Bindable(defaultValue = "envmon") @NotBlank String database,
    @Nullable String username,
    @Nullable String password) {}
