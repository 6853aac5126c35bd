package io.envmon.domain.point;

/** Lifecycle of a monitoring point. ACTIVE: automatic equipment is deployed and reporting. */
public enum PointStatus {
  PLANNED,
  ACTIVE,
  DECOMMISSIONED
}
