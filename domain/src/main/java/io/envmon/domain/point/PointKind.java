package io.envmon.domain.point;

/** What a monitoring point measures; decides which parameters it may report. */
public enum PointKind {
  AIR,
  WATER,
  NOISE
}
