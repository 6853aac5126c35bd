package io.envmon.api.imports;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/**
 * A refused row ({@code wholeRow}) or a value left out of an accepted row, of an import (table
 * {@code import_refusal}, migration V9).
 */
@MappedEntity("import_refusal")
public record ImportRefusalRow(
    @Id @GeneratedValue @Nullable Long id,
    String importId,
    long line,
    @Nullable String pointId,
    boolean wholeRow,
    String reason,
    String location,
    String detail) {}
