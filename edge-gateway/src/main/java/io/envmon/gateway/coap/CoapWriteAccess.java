package io.envmon.gateway.coap;

import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.DeviceCredentials;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which device a CoAP request speaks for, and whether it may write the point in its path
 * (docs/security.md "CoAP and CoAPs"): over CoAPs the PSK identity names the device; plain CoAP is
 * taken only from a source address a device's {@code coap.plain-from} names, for that device's
 * points. Everything else is refused with a reason the device's owner can act on.
 */
final class CoapWriteAccess {

  private CoapWriteAccess() {}

  /** The decision; {@link CoapAnswers#denied} maps a denial to 4.01 / 4.03. */
  sealed interface Decision {
    /** {@code device} may write the point. */
    record Allowed(DeviceCredentials.Device device) implements Decision {}

    /** The request is refused, for {@code refusal()}. */
    sealed interface Denied extends Decision {
      Refusal refusal();
    }

    /** No device identity: 4.01 Unauthorized. */
    record Unauthenticated(Refusal refusal) implements Denied {}

    /** A device, but not one that may write this point: 4.03 Forbidden. */
    record Forbidden(Refusal refusal) implements Denied {}
  }

  /**
   * @param pskIdentity the DTLS PSK identity; null for a plain CoAP request
   * @param source the request's source address
   */
  static Decision decide(
      DeviceCredentials credentials, String pskIdentity, InetAddress source, String pointId) {
    if (pskIdentity != null) {
      var device = credentials.byDeviceId(pskIdentity);
      if (device.isEmpty()) {
        return new Decision.Unauthenticated(
            refusal("unknown device " + pskIdentity + " (not in the credentials file)"));
      }
      if (!device.get().maySendFor(pointId)) {
        return new Decision.Forbidden(
            refusal("device " + pskIdentity + " may not send for point " + pointId));
      }
      return new Decision.Allowed(device.get());
    }
    List<DeviceCredentials.Device> fromThere = credentials.plainCoapDevicesFrom(source);
    if (fromThere.isEmpty()) {
      return new Decision.Unauthenticated(
          refusal(
              "plain CoAP from "
                  + source.getHostAddress()
                  + " carries no device identity and no device's coap.plain-from names this"
                  + " address: send over CoAPs with the device's pre-shared key"));
    }
    for (DeviceCredentials.Device device : fromThere) {
      if (device.maySendFor(pointId)) {
        return new Decision.Allowed(device);
      }
    }
    return new Decision.Forbidden(
        refusal(
            "plain CoAP from "
                + source.getHostAddress()
                + " is allowed for device "
                + fromThere.stream()
                    .map(DeviceCredentials.Device::deviceId)
                    .collect(Collectors.joining(", "))
                + ", which may not send for point "
                + pointId));
  }

  private static Refusal refusal(String detail) {
    return new Refusal(RefusalReason.UNAUTHORISED, "identity", detail);
  }
}
