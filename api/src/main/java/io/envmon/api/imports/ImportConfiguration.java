package io.envmon.api.imports;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Imports of history ({@code envmon.imports}, docs/api.md "Import").
 *
 * @param readingsPerSecond the pace at which an import produces to the readings topic, so the live
 *     readings of the cluster keep theirs (the jobs and InfluxDB take both)
 * @param maxFileBytes the largest file taken (CSV; the server's max-request-size bounds it too)
 * @param maxSenmlBytes the largest SenML file taken (a pack is read whole into memory)
 * @param maxListedRefusals refused rows and values kept per import for its report (counts are
 *     always complete)
 * @param spoolDir where uploads wait for their turn; empty: the system's temporary directory
 * @param maxQueued imports that may wait for their turn in this instance; one more upload is
 *     answered 429 with Retry-After (each waiting upload holds its file in the spool)
 * @param progressInterval how often an import's progress is written to PostgreSQL
 * @param replica this API instance's name: at start, its own imports left QUEUED or RUNNING by a
 *     stop run again from their spool file (FAILED if the file is gone); empty: the host name
 */
@ConfigurationProperties("envmon.imports")
public record ImportConfiguration(
    @Bindable(defaultValue = "2000") @Min(1) int readingsPerSecond,
    @Bindable(defaultValue = "1073741824") @Min(1) long maxFileBytes,
    @Bindable(defaultValue = "67108864") @Min(1) long maxSenmlBytes,
    @Bindable(defaultValue = "10000") @Min(0) int maxListedRefusals,
    @Bindable(defaultValue = "") String spoolDir,
    @Bindable(defaultValue = "4") @Min(1) int maxQueued,
    @Bindable(defaultValue = "1s") @NotNull Duration progressInterval,
    @Bindable(defaultValue = "") String replica) {}
