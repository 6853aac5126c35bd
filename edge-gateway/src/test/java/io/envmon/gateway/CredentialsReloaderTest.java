package io.envmon.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsReloaderTest {

  @TempDir Path directory;

  @Test
  void aChangedFileReplacesTheDevicesAndABrokenOneKeepsThem() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(file, "device.s-1.points=p-1\ndevice.s-1.hj212.mn=MN1\n");
    DeviceCredentials credentials = DeviceCredentials.load(file);
    List<Integer> seenByListener = new ArrayList<>();
    credentials.onChange(changed -> seenByListener.add(changed.size()));
    try (CredentialsReloader reloader = new CredentialsReloader(file, credentials)) {
      assertThat(reloader.check()).as("unchanged").isFalse();

      Files.writeString(file, "device.s-2.points=p-2\ndevice.s-2.hj212.mn=MN2\n");
      assertThat(reloader.check()).isTrue();
      assertThat(credentials.byHj212Mn("MN1")).isEmpty();
      assertThat(credentials.byHj212Mn("MN2").orElseThrow().pointIds()).containsExactly("p-2");
      assertThat(seenByListener).containsExactly(1);

      Files.writeString(file, "device.s-3.points=p-3\ndevice.s-3.hj212.mn=MN3\nnot a device\n");
      assertThat(reloader.check()).isFalse();
      assertThat(reloader.check()).as("the same broken content is refused once").isFalse();
      assertThat(credentials.byHj212Mn("MN2")).isPresent();
      assertThat(credentials.byHj212Mn("MN3")).isEmpty();
      assertThat(reloader.failures()).isEqualTo(1);

      Files.delete(file);
      assertThat(reloader.check()).isFalse();
      assertThat(credentials.byHj212Mn("MN2")).isPresent();
      assertThat(reloader.failures()).isEqualTo(2);

      Files.writeString(file, "device.s-3.points=p-3\ndevice.s-3.hj212.mn=MN3\n");
      assertThat(reloader.check()).isTrue();
      assertThat(credentials.byHj212Mn("MN3")).isPresent();
      assertThat(credentials.byDeviceId("s-2")).isEmpty();
      assertThat(reloader.reloads()).isEqualTo(2);
      assertThat(seenByListener).containsExactly(1, 1);
    }
  }

  @Test
  void twoStationsWithOneMnAreRefused() throws Exception {
    Path file = directory.resolve("devices.properties");
    Files.writeString(
        file,
        "device.a.points=p-1\ndevice.a.hj212.mn=MN1\ndevice.b.points=p-2\ndevice.b.hj212.mn=MN1\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DeviceCredentials.load(file))
        .hasMessage("HJ 212 MN MN1 is given to both a and b");
  }
}
