package io.envmon.gateway.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.gateway.AddressRange;
import io.envmon.gateway.DeviceCredentials;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CoapWriteAccessTest {

  private static DeviceCredentials.Device device(String id, String point, String... plainFrom) {
    return new DeviceCredentials.Device(
        id,
        List.of(point),
        id + "-key",
        null,
        null,
        null,
        null,
        Set.of(),
        java.util.Arrays.stream(plainFrom).map(AddressRange::parse).toList(),
        Duration.ofMinutes(5));
  }

  private final DeviceCredentials credentials =
      new DeviceCredentials(
          List.of(
              device("noise-1", "wujiang-noise-01", "10.20.0.0/24"),
              device("air-2", "wujiang-air-02", "10.20.0.9"),
              device("water-1", "wujiang-water-01")));

  private static InetAddress address(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  @DisplayName("plain CoAP from an address no device names is 4.01, saying to use CoAPs")
  void anonymousPlainCoapIsUnauthenticated() throws Exception {
    var decision =
        CoapWriteAccess.decide(credentials, null, address("192.0.2.7"), "wujiang-water-01");

    assertThat(decision).isInstanceOf(CoapWriteAccess.Decision.Unauthenticated.class);
    assertThat(((CoapWriteAccess.Decision.Unauthenticated) decision).refusal().detail())
        .isEqualTo(
            "plain CoAP from 192.0.2.7 carries no device identity and no device's"
                + " coap.plain-from names this address: send over CoAPs with the device's"
                + " pre-shared key");
  }

  @Test
  @DisplayName("plain CoAP from a device's address is that device, for its own points only")
  void plainCoapIsBoundToTheDevicesPoints() throws Exception {
    var own = CoapWriteAccess.decide(credentials, null, address("10.20.0.5"), "wujiang-noise-01");
    var other = CoapWriteAccess.decide(credentials, null, address("10.20.0.5"), "wujiang-air-02");

    assertThat(own).isInstanceOf(CoapWriteAccess.Decision.Allowed.class);
    assertThat(((CoapWriteAccess.Decision.Allowed) own).device().deviceId()).isEqualTo("noise-1");
    assertThat(other).isInstanceOf(CoapWriteAccess.Decision.Forbidden.class);
    assertThat(((CoapWriteAccess.Decision.Forbidden) other).refusal().detail())
        .isEqualTo(
            "plain CoAP from 10.20.0.5 is allowed for device noise-1, which may not send for"
                + " point wujiang-air-02");
  }

  @Test
  @DisplayName("one address named by two devices may write the points of either")
  void anAddressSharedByTwoDevices() throws Exception {
    var air = CoapWriteAccess.decide(credentials, null, address("10.20.0.9"), "wujiang-air-02");
    var noise = CoapWriteAccess.decide(credentials, null, address("10.20.0.9"), "wujiang-noise-01");
    var water = CoapWriteAccess.decide(credentials, null, address("10.20.0.9"), "wujiang-water-01");

    assertThat(((CoapWriteAccess.Decision.Allowed) air).device().deviceId()).isEqualTo("air-2");
    assertThat(((CoapWriteAccess.Decision.Allowed) noise).device().deviceId()).isEqualTo("noise-1");
    assertThat(((CoapWriteAccess.Decision.Forbidden) water).refusal().detail())
        .contains("allowed for device air-2, noise-1, which may not send for point");
  }

  @Test
  @DisplayName("a CoAPs device is bound to its points whatever its address; unknown is 4.01")
  void pskIdentityIsBoundToItsPoints() throws Exception {
    var own =
        CoapWriteAccess.decide(credentials, "water-1", address("192.0.2.7"), "wujiang-water-01");
    var other =
        CoapWriteAccess.decide(credentials, "water-1", address("192.0.2.7"), "wujiang-air-02");
    var unknown =
        CoapWriteAccess.decide(credentials, "stranger", address("10.20.0.5"), "wujiang-noise-01");

    assertThat(own).isInstanceOf(CoapWriteAccess.Decision.Allowed.class);
    assertThat(other).isInstanceOf(CoapWriteAccess.Decision.Forbidden.class);
    assertThat(unknown).isInstanceOf(CoapWriteAccess.Decision.Unauthenticated.class);
  }

  @Test
  @DisplayName("an IPv6 source never matches an IPv4 range")
  void ipv6DoesNotMatchIpv4() throws Exception {
    assertThat(AddressRange.parse("127.0.0.1").contains(address("::1"))).isFalse();
    assertThat(AddressRange.parse("fd00::/8").contains(address("fd12::1"))).isTrue();
    assertThat(AddressRange.parse("10.20.0.0/23").contains(address("10.20.1.255"))).isTrue();
    assertThat(AddressRange.parse("10.20.0.0/23").contains(address("10.20.2.0"))).isFalse();
  }
}
