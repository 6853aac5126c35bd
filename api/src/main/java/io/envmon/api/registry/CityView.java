package io.envmon.api.registry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

@Serdeable
public record CityView(
    String id,
    String clusterId,
    String name,
    @Nullable String nameEn,
    String timeZone,
    List<String> neighbours,
    String nightStart,
    String nightEnd) {
  public static CityView of(CityRow row) {
    return new CityView(
        row.id(),
        row.clusterId(),
        row.name(),
        row.nameEn(),
        row.timeZone(),
        List.of(row.neighbours()),
        row.nightStart(),
        row.nightEnd());
  }
}
