package io.envmon.api.ratios;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** Every city's ratio and the cluster's, each the newest at or before {@code at}. */
@Serdeable
public record SharingRatios(
    Instant at, List<SharingRatioView> cities, List<SharingRatioView> cluster) {}
