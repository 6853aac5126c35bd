package io.envmon.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.domain.hj212.Hj212Sm4;
import io.envmon.domain.hj212.Hj212Version;
import io.envmon.domain.point.PointKind;
import io.envmon.sim.scenario.Protocol;
import io.envmon.sim.scenario.StationSpec;
import io.envmon.sim.transport.Hj212Transport;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * An HJ 212 station's edition and SM4 key come from its scenario entry and the demo device files.
 */
class Hj212LoginTest {

  private static StationSpec spec(String point, String device, Hj212Version version) {
    return new StationSpec(
        point,
        "wujiang",
        PointKind.WATER,
        Protocol.HJ212,
        device,
        Duration.ofHours(1),
        null,
        List.of(),
        version);
  }

  private static Properties demoDevices(String city) throws IOException {
    Properties devices = new Properties();
    try (Reader reader =
        Files.newBufferedReader(Path.of("..", "demo", "devices-" + city + ".properties"))) {
      devices.load(reader);
    }
    return devices;
  }

  @Test
  void aDeviceWithAnSm4KeySpeaks2025AndEncryptsWithItsOwnKey() throws IOException {
    Properties devices = demoDevices("wujiang");
    Hj212Transport.StationLogin login =
        ScenarioMain.hj212Login(
            spec("wujiang-water-taipu-01", "dev-wujiang-water-taipu-01", null), devices);
    assertThat(login.version()).isEqualTo(Hj212Version.HJ_212_2025);
    assertThat(login.sm4Key())
        .isEqualTo(
            Hj212Sm4.parseKey(
                devices.getProperty("device.dev-wujiang-water-taipu-01.hj212.sm4.key")));
    assertThat(login.mn())
        .isEqualTo(devices.getProperty("device.dev-wujiang-water-taipu-01.hj212.mn"));
  }

  @Test
  void aDeviceWithoutKeySpeaks2017OrTheEditionOfItsSpec() throws IOException {
    Properties devices = demoDevices("wujiang");
    StationSpec plain = spec("wujiang-water-taipu-02", "dev-wujiang-water-taipu-02", null);
    assertThat(ScenarioMain.hj212Login(plain, devices).version())
        .isEqualTo(Hj212Version.HJ_212_2017);
    assertThat(ScenarioMain.hj212Login(plain, devices).sm4Key()).isNull();
    StationSpec old =
        spec("wujiang-water-taipu-02", "dev-wujiang-water-taipu-02", Hj212Version.HJT_212_2005);
    assertThat(ScenarioMain.hj212Login(old, devices).version())
        .isEqualTo(Hj212Version.HJT_212_2005);
  }

  @Test
  void aKeyForAnEditionWithoutEncryptionIsRefusedNamingTheStation() throws IOException {
    Properties devices = demoDevices("wujiang");
    assertThatThrownBy(
            () ->
                ScenarioMain.hj212Login(
                    spec(
                        "wujiang-water-taipu-01",
                        "dev-wujiang-water-taipu-01",
                        Hj212Version.HJ_212_2017),
                    devices))
        .hasMessageContaining("station wujiang-water-taipu-01 (device dev-wujiang-water-taipu-01)")
        .hasMessageContaining("HJ 212-2017 has no SM4 encryption");
  }
}
