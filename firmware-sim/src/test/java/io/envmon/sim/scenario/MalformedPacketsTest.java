package io.envmon.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.envmon.domain.DecodeException;
import io.envmon.domain.hj212.DataCommand;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Parameter;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.domain.senml.SenmlJson;
import io.envmon.sim.station.Station;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MalformedPacketsTest {

  private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void everySenmlVariantIsRefusedByTheSenmlDecoder() {
    Set<String> variants = new HashSet<>();
    for (int minute = 0; minute < 3; minute++) {
      byte[] payload = MalformedPackets.senml("a-air-01", START.plus(Duration.ofMinutes(minute)));
      variants.add(new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1));
      assertThatThrownBy(() -> SenmlJson.decode(payload)).isInstanceOf(DecodeException.class);
    }
    assertThat(variants).hasSize(3);
    assertThat(MalformedPackets.senml("a-air-01", START))
        .isEqualTo(MalformedPackets.senml("a-air-01", START));
  }

  @Test
  void aBadCrcFrameIsRefusedWhileTheOriginalDecodes() throws Exception {
    ZoneId zone = ZoneId.of("Asia/Shanghai");
    Reading reading =
        new Reading(
            Reading.idFor("a-air-01", START),
            "a-air-01",
            START,
            List.of(Measurement.valid(Parameter.PM25, 35.0)),
            Source.HJ212);
    Hj212Packet packet =
        Hj212ReadingMapper.toPacket(
            reading, DataCommand.REAL_TIME, "JS0000000001", "123456", START, zone, true);
    byte[] frame = Hj212Codec.encode(packet, zone);
    assertThat(Hj212Codec.decodeFrame(frame, zone).mn()).isEqualTo("JS0000000001");
    byte[] bad = MalformedPackets.withBadCrc(frame);
    assertThat(bad).hasSameSizeAs(frame).isNotEqualTo(frame);
    assertThatThrownBy(() -> Hj212Codec.decodeFrame(bad, zone)).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> MalformedPackets.withBadCrc("##0004QN=1".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theMalformedFaultReplacesEveryNthReadingInItsWindow() throws Exception {
    String json =
        """
        {"name":"garbage","seed":7,"stations":[
          {"point":"a-air-01","city":"a","kind":"AIR","protocol":"MQTT","interval":"PT1M"}],
         "faults":[
          {"type":"malformed","point":"a-*","from":"PT10M","until":"PT20M","every":3}]}
        """;
    Scenario scenario = ScenarioFile.parse(new ObjectMapper().readTree(json), START, null);
    Station station = scenario.stations().get(0);
    List<Integer> malformed = new ArrayList<>();
    for (int minute = 0; minute < 30; minute++) {
      Instant at = START.plus(Duration.ofMinutes(minute));
      boolean replaced = scenario.malformedAt(station, at);
      assertThat(scenario.emission(station, at).isEmpty()).isEqualTo(replaced);
      if (replaced) {
        malformed.add(minute);
      }
    }
    assertThat(malformed).containsExactly(10, 13, 16, 19);
  }

  @Test
  void aMalformedFaultNeedsAPositiveEvery() {
    assertThatThrownBy(() -> new Fault.Malformed("a-air-01", Duration.ZERO, null, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("every");
  }
}
