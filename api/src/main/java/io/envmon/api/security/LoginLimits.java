package io.envmon.api.security;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * How many failed logins per user name from one client address, and per client address, are allowed
 * within a window before further attempts from that address answer 429 ({@code
 * envmon.security.login}).
 */
@ConfigurationProperties("envmon.security.login")
public record LoginLimits(
    @Bindable(defaultValue = "5") @Positive int maxFailures,
    @Bindable(defaultValue = "20") @Positive int maxFailuresPerAddress,
    @Bindable(defaultValue = "5m") Duration window) {}
