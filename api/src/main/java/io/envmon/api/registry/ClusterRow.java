package io.envmon.api.registry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

@MappedEntity("cluster")
public record ClusterRow(@Id String id, String name, @Nullable String nameEn) {}
