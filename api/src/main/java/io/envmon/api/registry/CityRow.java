package io.envmon.api.registry;

import io.envmon.domain.noise.NightWindow;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;

@MappedEntity("city")
public record CityRow(
    @Id String id,
    String clusterId,
    String name,
    @Nullable String nameEn,
    String timeZone,
    @TypeDef(type = DataType.STRING_ARRAY) String[] neighbours,
    String nightStart,
    String nightEnd) {

  /** The city's noise night window (checked when the city was written). */
  public NightWindow night() {
    return NightWindow.of(nightStart, nightEnd);
  }
}
