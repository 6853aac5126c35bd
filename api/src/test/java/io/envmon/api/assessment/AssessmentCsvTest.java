package io.envmon.api.assessment;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.ratios.SharingRatioView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AssessmentCsvTest {

  static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  @DisplayName("the city's line with its b-values, then one line per point; commas quoted")
  void cityLineThenPoints() {
    Assessment assessment =
        new Assessment(
            T,
            "jiashan",
            "city",
            "嘉善县",
            null,
            "score undefined: no planned or active NOISE points in jiashan",
            new SharingRatioView.Part(1, 2, 0, 0.5, null),
            new SharingRatioView.Part(0, 1, 1, 0.0, null),
            new SharingRatioView.Part(
                0, 0, 0, null, "no planned or active NOISE points in jiashan"),
            new Assessment.Sources("registry", "history", List.of(), "reviewed", "AIR 2 h"),
            null,
            null,
            List.of(
                new Assessment.PointEvidence(
                    "jiashan-water-taipu-01",
                    "jiashan",
                    "WATER",
                    "太浦河",
                    null,
                    "ACTIVE",
                    "CITIES",
                    List.of("qingpu", "wujiang"),
                    true,
                    true,
                    false,
                    true,
                    new Assessment.Reason(
                        "SHARED_WITH_SOME",
                        "shared only with qingpu, wujiang (conditional sharing)",
                        "仅与 qingpu, wujiang 共享"),
                    T.minusSeconds(8 * 3600),
                    new Assessment.LastValidReading(T.minusSeconds(60), null, "not known"),
                    "history")));

    String[] lines = AssessmentCsv.of(assessment).split("\r\n");

    assertThat(lines).hasSize(3);
    assertThat(lines[1])
        .startsWith("2026-12-01T00:00:00Z,city,jiashan,嘉善县,")
        .contains(",1,2,0,0.5,,0,1,1,0.0,,0,0,0,,no planned or active NOISE points in jiashan,,")
        .endsWith(",score undefined: no planned or active NOISE points in jiashan,");
    assertThat(lines[2])
        .startsWith("2026-12-01T00:00:00Z,point,jiashan-water-taipu-01,太浦河,jiashan,WATER,ACTIVE")
        .contains(",qingpu wujiang,true,false,true,SHARED_WITH_SOME,")
        .contains("\"shared only with qingpu, wujiang (conditional sharing)\"")
        .contains(",2026-11-30T23:59:00Z,");
    assertThat(lines[0].split(",", -1))
        .hasSameSizeAs(lines[2].split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1));
  }
}
