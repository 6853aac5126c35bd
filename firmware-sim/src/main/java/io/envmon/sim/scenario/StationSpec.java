package io.envmon.sim.scenario;

import io.envmon.domain.hj212.Hj212Version;
import io.envmon.domain.point.NoiseZone;
import io.envmon.domain.point.PointKind;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One station of a scenario: the monitoring point it reports for, its protocol, the device id it
 * authenticates as (its entry in the gateway's device credentials file), how often it reports, and
 * for water sections the sections directly downstream (the river graph a spill travels along).
 *
 * @param hj212Version the edition an HJ 212 station speaks; null = HJ 212-2025 when its device has
 *     an SM4 key ({@code hj212.sm4.key}), HJ 212-2017 otherwise
 */
public record StationSpec(
    String pointId,
    String cityId,
    PointKind kind,
    Protocol protocol,
    String deviceId,
    Duration interval,
    NoiseZone zone,
    List<String> downstream,
    Hj212Version hj212Version) {

  public StationSpec {
    Objects.requireNonNull(pointId, "point");
    Objects.requireNonNull(cityId, "city of " + pointId);
    Objects.requireNonNull(kind, "kind of " + pointId);
    Objects.requireNonNull(protocol, "protocol of " + pointId);
    Objects.requireNonNull(interval, "interval of " + pointId);
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval of " + pointId + " must be positive");
    }
    if (deviceId == null) {
      deviceId = pointId;
    }
    downstream = downstream == null ? List.of() : List.copyOf(downstream);
    if (hj212Version != null && protocol != Protocol.HJ212) {
      throw new IllegalArgumentException(
          "station " + pointId + ": hj212 is set but the protocol is " + protocol);
    }
  }
}
