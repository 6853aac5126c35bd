package io.envmon.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceCredentialsTest {

  @TempDir Path directory;

  @Test
  void aStationIsFoundByItsMnWithItsPasswordAndPoint() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(
        file,
        "device.station-1.points=wujiang-water-01, wujiang-water-02\n"
            + "device.station-1.hj212.mn=MN1\n"
            + "device.station-1.hj212.pw=123456\n"
            + "device.sensor-2.points=wujiang-air-01\n"
            + "device.sensor-2.secret=s3cret\n"
            + "device.sensor-2.mqtt.password=mqtt-pass\n");
    DeviceCredentials credentials = DeviceCredentials.load(file);
    var station = credentials.byHj212Mn("MN1").orElseThrow();
    assertThat(station.deviceId()).isEqualTo("station-1");
    assertThat(station.hj212Pw()).isEqualTo("123456");
    assertThat(station.pointIds()).containsExactly("wujiang-water-01", "wujiang-water-02");
    assertThat(credentials.byDeviceId("sensor-2").orElseThrow().maySendFor("wujiang-air-01"))
        .isTrue();
    assertThat(credentials.byHj212Mn("MN2")).isEmpty();
    assertThat(credentials.byDeviceId("sensor-2").orElseThrow().mqttPassword())
        .isEqualTo("mqtt-pass");
    assertThat(station.mqttPassword()).isNull();
  }

  @Test
  void aMisspelledFieldIsRefused() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(file, "device.s-1.points=p\ndevice.s-1.mqtt.pasword=x\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessageContaining("key 'device.s-1.mqtt.pasword' has an unknown field");
  }

  @Test
  void aKeyOutsideTheSchemeIsRefused() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(file, "station.points=x\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessageContaining("key 'station.points' is not device.{id}.{field}");
  }

  @Test
  void anEncryptingStationHasItsSm4KeysAndPlaintextSetting() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(
        file,
        "device.s-1.points=p\ndevice.s-1.hj212.mn=MN1\ndevice.s-1.hj212.pw=1\n"
            + "device.s-1.hj212.sm4.key=0123456789abcdeffedcba9876543210\n"
            + "device.s-1.hj212.sm4.previous-key=0000000000000000\n"
            + "device.s-2.points=q\ndevice.s-2.hj212.mn=MN2\ndevice.s-2.hj212.pw=1\n"
            + "device.s-2.hj212.sm4.key=0000000000000000\n"
            + "device.s-2.hj212.plaintext=accept\n"
            + "device.s-3.points=r\ndevice.s-3.hj212.mn=MN3\ndevice.s-3.hj212.pw=1\n");
    DeviceCredentials credentials = DeviceCredentials.load(file);
    var first = credentials.byHj212Mn("MN1").orElseThrow().hj212Sm4();
    assertThat(first.key()[0]).isEqualTo((byte) 0x01);
    assertThat(first.previousKey()).containsOnly((byte) 0x30);
    assertThat(first.acceptPlaintext()).isFalse();
    var second = credentials.byHj212Mn("MN2").orElseThrow().hj212Sm4();
    assertThat(second.previousKey()).isNull();
    assertThat(second.acceptPlaintext()).isTrue();
    assertThat(second.toString()).doesNotContain("48").contains("key=…");
    assertThat(credentials.byHj212Mn("MN3").orElseThrow().hj212Sm4()).isNull();
  }

  @Test
  void aBadSm4KeyOrSettingIsRefusedNamingTheDevice() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(file, "device.s-1.points=p\ndevice.s-1.hj212.sm4.key=short\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessageContaining("device s-1 SM4 key: an SM4 key is 32 hex digits");
    Files.writeString(file, "device.s-1.points=p\ndevice.s-1.hj212.plaintext=accept\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessageContaining("but no hj212.sm4.key");
    Files.writeString(
        file,
        "device.s-1.points=p\ndevice.s-1.hj212.sm4.key=0000000000000000\n"
            + "device.s-1.hj212.plaintext=maybe\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file)).hasMessageContaining("refuse or accept");
  }

  @Test
  void aStationNamesTheDeviationsItTolerates() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(
        file,
        "device.station-1.points=wujiang-water-01\n"
            + "device.station-1.hj212.mn=MN1\n"
            + "device.station-1.hj212.pw=123456\n"
            + "device.station-1.hj212.tolerate=crc-modbus, lowercase-hex,trailing-semicolon\n"
            + "device.station-2.points=wujiang-water-02\n"
            + "device.station-2.hj212.mn=MN2\n"
            + "device.station-2.hj212.pw=123456\n");
    DeviceCredentials credentials = DeviceCredentials.load(file);
    assertThat(credentials.byHj212Mn("MN1").orElseThrow().hj212Tolerated())
        .containsExactlyInAnyOrder(
            io.envmon.domain.hj212.Hj212Deviation.CRC_MODBUS,
            io.envmon.domain.hj212.Hj212Deviation.LOWERCASE_HEX,
            io.envmon.domain.hj212.Hj212Deviation.TRAILING_SEMICOLON);
    assertThat(credentials.byHj212Mn("MN2").orElseThrow().hj212Tolerated()).isEmpty();
  }

  @Test
  void anUnknownToleranceIsRefusedListingTheKnownOnes() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(
        file,
        "device.station-1.points=wujiang-water-01\n"
            + "device.station-1.hj212.mn=MN1\n"
            + "device.station-1.hj212.pw=123456\n"
            + "device.station-1.hj212.tolerate=crc-modbus,crc-anything\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "device credentials "
                + file
                + ": device station-1 hj212.tolerate names 'crc-anything', which is not a"
                + " deviation envmon knows; known: crc-modbus, crc-swapped, lowercase-hex,"
                + " qn-epoch-millis, long-segment, missing-final-terminator, trailing-semicolon");
  }

  @Test
  void plainCoapSourcesAndIntervalAreRead() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(
        file,
        "device.noise-1.points=wujiang-noise-01\n"
            + "device.noise-1.coap.plain-from=127.0.0.1, 10.20.0.0/24\n"
            + "device.noise-1.interval=PT5M\n"
            + "device.air-1.points=wujiang-air-01\n"
            + "device.air-1.mqtt.password=x\n");
    DeviceCredentials credentials = DeviceCredentials.load(file);
    var noise = credentials.byDeviceId("noise-1").orElseThrow();
    assertThat(noise.coapPlainFrom())
        .containsExactly(AddressRange.parse("127.0.0.1"), AddressRange.parse("10.20.0.0/24"));
    assertThat(noise.interval()).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(credentials.plainCoapDevicesFrom(java.net.InetAddress.getByName("10.20.0.200")))
        .containsExactly(noise);
    assertThat(credentials.plainCoapDevicesFrom(java.net.InetAddress.getByName("10.20.1.1")))
        .isEmpty();
    assertThat(credentials.byDeviceId("air-1").orElseThrow().coapPlainFrom()).isEmpty();
    assertThat(credentials.byDeviceId("air-1").orElseThrow().interval()).isNull();
    assertThat(credentials.mqttDeviceFor("wujiang-air-01").orElseThrow().deviceId())
        .isEqualTo("air-1");
    assertThat(credentials.mqttDeviceFor("wujiang-noise-01")).isEmpty();
  }

  @Test
  void aBadPlainCoapSourceOrIntervalIsRefusedWithTheDevice() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(file, "device.s-1.points=p\ndevice.s-1.coap.plain-from=gateway.local\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessageContaining(
            "device s-1 coap.plain-from: 'gateway.local' is not an IP address or CIDR block");
    Files.writeString(file, "device.s-1.points=p\ndevice.s-1.coap.plain-from=10.0.0.0/33\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessageContaining("'10.0.0.0/33' has a prefix length outside 0–32");
    Files.writeString(file, "device.s-1.coap.plain-from=127.0.0.1\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessageContaining("device s-1 has coap.plain-from but no points it may send for");
    Files.writeString(file, "device.s-1.points=p\ndevice.s-1.interval=5 minutes\n");
    assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessageContaining(
            "device s-1 interval '5 minutes' is not a positive ISO-8601 duration such as PT5M");
  }
}
