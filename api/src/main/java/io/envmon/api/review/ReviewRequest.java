package io.envmon.api.review;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A review mark to make: over [from, to), or of the one reading observed at {@code at}; of one
 * parameter or of every value ({@code parameter} absent).
 */
@Serdeable
public record ReviewRequest(
    @Schema(description = "start of the range (inclusive), ISO-8601 with offset; or give at")
        @Nullable
        String from,
    @Schema(description = "end of the range (exclusive), ISO-8601 with offset; or give at")
        @Nullable
        String to,
    @Schema(
            description =
                "the observation time of one reading, instead of from and to: marks [at, at +"
                    + " 1 ms), the reading's exact time")
        @Nullable
        String at,
    @Schema(
            description =
                "canonical name of the one parameter marked (e.g. pm25); absent: every value of"
                    + " the readings")
        @Nullable
        String parameter,
    @Schema(
            description = "INVALID: not valid data; VALID: valid again (a later mark wins)",
            allowableValues = {"INVALID", "VALID"})
        @NotBlank
        String verdict,
    @Schema(
            description = "why",
            allowableValues = {
              "CALIBRATION",
              "MAINTENANCE",
              "INSTRUMENT_FAULT",
              "EXTERNAL_INTERFERENCE",
              "OTHER"
            })
        @NotBlank
        String reason,
    @Schema(description = "free text; required when reason is OTHER") @Nullable @Size(max = 500)
        String note) {}
