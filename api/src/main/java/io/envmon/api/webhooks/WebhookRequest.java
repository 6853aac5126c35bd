package io.envmon.api.webhooks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A webhook to register: an absolute http(s) URL, and optionally the secret to sign with (else one
 * is generated and answered once).
 */
@Serdeable
public record WebhookRequest(
    @NotBlank @Size(max = 2000) String url, @Nullable @Size(min = 16, max = 256) String secret) {}
