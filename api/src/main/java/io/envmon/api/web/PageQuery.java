package io.envmon.api.web;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The {@code page} and {@code size} query parameters of every paged list, bound with
 * {@code @RequestBean} and so documented once; {@link #paging()} checks them.
 */
@Introspected
public record PageQuery(
    @Parameter(
            description = "the page, from 0 (the default)",
            schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
        @QueryValue
        @Nullable
        Integer page,
    @Parameter(
            description = "items per page, 1 to " + Paging.MAX_SIZE,
            schema =
                @Schema(
                    type = "integer",
                    minimum = "1",
                    maximum = "" + Paging.MAX_SIZE,
                    defaultValue = "" + Paging.DEFAULT_SIZE))
        @QueryValue
        @Nullable
        Integer size) {

  /** The page asked for; 400 (problem+json naming the field) when out of range. */
  public Paging paging() {
    return Paging.of(page, size);
  }
}
