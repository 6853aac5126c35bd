package io.envmon.domain.hj212;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every packet of {@code hj212/real-packets.txt} (real packets from public repositories, each with
 * its source) through the decoder: strict, then with the tolerance it needs, and what it decodes
 * to.
 */
@DisplayName("HJ 212 packets as real stations send them")
class Hj212RealPacketsTest {

  /** One block of the resource file. */
  record Entry(Map<String, String> fields) {
    String get(String key) {
      return fields.getOrDefault(key, "");
    }

    byte[] frame() {
      return (get("packet") + "\r\n").getBytes(ISO_8859_1);
    }

    Set<Hj212Deviation> tolerated() {
      Set<Hj212Deviation> tolerated = EnumSet.noneOf(Hj212Deviation.class);
      for (String name : get("tolerate").split(",")) {
        if (!name.isBlank()) {
          tolerated.add(
              Hj212Deviation.bySetting(name.trim())
                  .orElseThrow(() -> new AssertionError("unknown tolerate " + name)));
        }
      }
      return tolerated;
    }

    List<String> items(String key) {
      return Arrays.stream(get(key).split("[ ,]")).filter(s -> !s.isBlank()).toList();
    }
  }

  static List<Entry> entries() throws IOException {
    String text;
    try (InputStream in =
        Hj212RealPacketsTest.class.getResourceAsStream("/hj212/real-packets.txt")) {
      text = new String(in.readAllBytes(), ISO_8859_1);
    }
    List<Entry> entries = new ArrayList<>();
    for (String block : text.split("\n\\s*\n")) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String line : block.split("\n")) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        int equals = line.indexOf('=');
        fields.put(line.substring(0, equals), line.substring(equals + 1));
      }
      if (fields.containsKey("packet")) {
        entries.add(new Entry(fields));
      }
    }
    return entries;
  }

  @Test
  void everyEntryNamesItsSourceRepositoryPathAndCommit() throws IOException {
    List<Entry> entries = entries();
    assertThat(entries).hasSizeGreaterThanOrEqualTo(10);
    for (Entry entry : entries) {
      assertThat(entry.get("source")).matches("[\\w.-]+/[\\w.-]+ \\S.*:\\d+ @[0-9a-f]{40}");
    }
  }

  @TestFactory
  Stream<DynamicTest> eachPacketCarriesTheCrcItsEntryNames() throws IOException {
    return entries().stream()
        .map(
            entry ->
                DynamicTest.dynamicTest(
                    entry.get("source"),
                    () -> {
                      byte[] frame = entry.frame();
                      int length = frame.length - 12;
                      int crc = Integer.parseInt(new String(frame, 6 + length, 4, ISO_8859_1), 16);
                      int expected =
                          switch (entry.get("crc")) {
                            case "hj212" -> Hj212Crc.crc16(frame, 6, length);
                            case "modbus" -> Hj212Crc.modbus(frame, 6, length);
                            case "swapped" -> Hj212Crc.swapBytes(Hj212Crc.modbus(frame, 6, length));
                            default -> throw new AssertionError("crc=" + entry.get("crc"));
                          };
                      assertThat(crc).isEqualTo(expected);
                    }));
  }

  @TestFactory
  Stream<DynamicTest> strictModeTakesTheStandardOnesAndRefusesTheDeviantOnesWithAReason()
      throws IOException {
    return entries().stream()
        .map(
            entry ->
                DynamicTest.dynamicTest(
                    entry.get("source"),
                    () -> {
                      if (entry.get("strict").equals("ok")) {
                        Hj212Codec.decodeFrame(entry.frame());
                      } else {
                        assertThatThrownBy(() -> Hj212Codec.decodeFrame(entry.frame()))
                            .isInstanceOf(DecodeException.class)
                            .extracting(e -> ((DecodeException) e).reason())
                            .asString()
                            .startsWith(entry.get("strict"));
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> withTheToleranceItNeedsEachPacketDecodesToItsValues() throws IOException {
    return entries().stream()
        .map(
            entry ->
                DynamicTest.dynamicTest(
                    entry.get("source") + " tolerating [" + entry.get("tolerate") + "]",
                    () -> {
                      if (!entry.get("refused").isEmpty()) {
                        assertThatThrownBy(
                                () ->
                                    Hj212Codec.decodeFrame(
                                        entry.frame(),
                                        Hj212Codec.DEFAULT_STATION_ZONE,
                                        entry.tolerated()))
                            .isInstanceOf(DecodeException.class)
                            .extracting(e -> ((DecodeException) e).reason())
                            .asString()
                            .startsWith(entry.get("refused"));
                        return;
                      }
                      Hj212Read read =
                          Hj212Codec.read(entry.frame(), Hj212Codec.DEFAULT_STATION_ZONE);
                      assertThat(read.kinds()).isEqualTo(entry.tolerated());
                      Hj212Packet packet =
                          Hj212Codec.decodeFrame(
                              entry.frame(), Hj212Codec.DEFAULT_STATION_ZONE, entry.tolerated());
                      for (String item : entry.items("expect")) {
                        String[] nameValue = item.split("=", 2);
                        int dash = nameValue[0].lastIndexOf('-');
                        String code = nameValue[0].substring(0, dash);
                        String field = nameValue[0].substring(dash + 1);
                        assertThat(packet.cp().factor(code).flatMap(f -> f.field(field)))
                            .as(item)
                            .contains(nameValue[1]);
                      }
                      if (DataCommand.byCn(packet.cn()).isEmpty()) {
                        return;
                      }
                      Hj212DecodeResult result = Hj212ReadingMapper.toReadings(packet, "point-1");
                      assertThat(
                              result.errors().stream()
                                  .filter(FactorError::isUnknownCode)
                                  .map(FactorError::factorCode))
                          .containsExactlyElementsOf(entry.items("unknown"));
                      List<String> readings = entry.items("readings");
                      if (readings.isEmpty()) {
                        assertThat(result.readings()).isEmpty();
                        return;
                      }
                      Reading reading = result.readings().get(0);
                      assertThat(reading.measurements()).hasSize(readings.size());
                      for (String item : readings) {
                        String[] nameValue = item.split("=", 2);
                        Parameter parameter =
                            Parameter.byCanonicalName(nameValue[0])
                                .orElseGet(() -> fail("no parameter " + nameValue[0]));
                        assertThat(reading.measurement(parameter).map(Measurement::value))
                            .as(item)
                            .contains(Double.parseDouble(nameValue[1]));
                      }
                    }));
  }
}
