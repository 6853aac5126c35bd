package io.envmon.domain.validation;

import io.envmon.domain.point.MonitoringPoint;
import java.util.Optional;

/** The registry as validation needs it: a point by id, if it exists. */
@FunctionalInterface
public interface PointLookup {
  Optional<MonitoringPoint> find(String pointId);
}
