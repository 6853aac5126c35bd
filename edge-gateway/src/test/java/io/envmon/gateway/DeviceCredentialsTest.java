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
}
