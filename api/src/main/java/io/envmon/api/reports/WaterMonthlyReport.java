package io.envmon.api.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The monthly water report (月报) of river and lake sections: each section's class for the month by
 * GB 3838-2002 from the month's mean of each item, against its target (docs/api.md "Monthly water
 * report").
 */
@Serdeable
@Schema(description = "The monthly water report (月报): one row per section")
public record WaterMonthlyReport(
    @Schema(description = "the month, YYYY-MM", example = "2026-11") String month, List<Row> rows) {

  /** One section's month. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(
      String pointId,
      String name,
      String cityId,
      @Nullable String river,
      @Schema(description = "RIVER, LAKE or RESERVOIR") String waterBody,
      @Schema(description = "an important (assessed) section") boolean important,
      @Schema(description = "the city's time zone, whose calendar month this is") String timeZone,
      @Schema(description = "the month's first instant in the city's time") Instant monthStart,
      @Schema(description = "the next month's first instant") Instant monthEnd,
      @Schema(description = "false while the month is not over") boolean complete,
      @Schema(description = "the standard the class is by") String standard,
      @Schema(description = "the section's target class (I … V)") String targetClass,
      @Schema(description = "the month's class, the worst item class; absent without data")
          @Nullable
          String sectionClass,
      @Nullable String sectionClassZh,
      @Schema(description = "the month's class is the target or better; absent without data")
          @Nullable
          Boolean compliant,
      @Schema(description = "the items whose class is the section's (定类项目)")
          List<String> determiningItems,
      @Schema(description = "the items worse than the target (超标项目)")
          List<String> itemsWorseThanTarget,
      @Schema(description = "each item with a valid value in the month") Map<String, Item> items) {}

  /** One item's month. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      @Schema(description = "the mean of the month's valid values") double mean,
      String unit,
      @Schema(description = "how many valid values the mean is of") int samples,
      @Schema(description = "its class by GB 3838-2002; absent for items without class limits")
          @Nullable
          String itemClass,
      @Schema(description = "the mean over the target class's limit, as a multiple (超标倍数)")
          @Nullable
          Double exceedanceMultiple) {}
}
