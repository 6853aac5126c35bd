package io.envmon.api.sta;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The query options as the OpenAPI document names them. Bound as text only so that the document
 * lists them; {@link QueryOptions} reads and checks them from the request (400 with the reason).
 */
@Introspected
public record StaOptionsDoc(
    @Parameter(
            description =
                "eq ne gt ge lt le between a property (name, description, properties/city, id,"
                    + " phenomenonTime, result, ...) and a literal ('text', numbers, ISO-8601"
                    + " instants), joined by and, or, not and parentheses; functions are 400",
            example = "properties/city eq 'qingpu'")
        @QueryValue("$filter")
        @Nullable
        String filter,
    @Parameter(description = "properties, each asc or desc; then by id", example = "name desc")
        @QueryValue("$orderby")
        @Nullable
        String orderby,
    @Parameter(
            description = "page size: 100 without it, at most 1000",
            schema = @Schema(type = "integer", minimum = "0"))
        @QueryValue("$top")
        @Nullable
        String top,
    @Parameter(description = "entities to skip", schema = @Schema(type = "integer", minimum = "0"))
        @QueryValue("$skip")
        @Nullable
        String skip,
    @Parameter(
            description = "true: the collection's @iot.count",
            schema =
                @Schema(
                    type = "string",
                    allowableValues = {"true", "false"}))
        @QueryValue("$count")
        @Nullable
        String count,
    @Parameter(description = "the properties to answer", example = "id,name")
        @QueryValue("$select")
        @Nullable
        String select,
    @Parameter(
            description =
                "navigation properties to answer inline, with nested options, e.g. (Things)"
                    + " Locations,Datastreams($top=2;$orderby=name)")
        @QueryValue("$expand")
        @Nullable
        String expand) {}
