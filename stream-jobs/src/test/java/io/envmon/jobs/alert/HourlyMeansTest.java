package io.envmon.jobs.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.domain.reading.Parameter;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class HourlyMeansTest {

  private static final long TEN_PAST = Instant.parse("2026-11-01T08:10:00Z").toEpochMilli();

  @Test
  void meansAreOfTheValuesAddedPerPollutant() {
    HourlyMeans hour =
        HourlyMeans.empty("qingpu")
            .add(TEN_PAST, Map.of(Parameter.PM25, 30.0, Parameter.O3, 100.0))
            .add(TEN_PAST + 60_000, Map.of(Parameter.PM25, 50.0));

    assertThat(hour.means())
        .containsOnly(Map.entry(Parameter.PM25, 40.0), Map.entry(Parameter.O3, 100.0));
  }

  @Test
  void aReadingDeliveredTwiceCountsOnce() {
    HourlyMeans once =
        HourlyMeans.empty("qingpu")
            .add(TEN_PAST + 60_000, Map.of(Parameter.PM25, 50.0))
            .add(TEN_PAST, Map.of(Parameter.PM25, 30.0));

    assertThat(once.counts(TEN_PAST)).isTrue();
    assertThat(once.counts(TEN_PAST + 1)).isFalse();
    assertThat(once.add(TEN_PAST, Map.of(Parameter.PM25, 30.0)).means())
        .containsEntry(Parameter.PM25, 40.0);
    assertThat(once.observedMillis()).isSorted();
  }

  @Test
  void parametersOutsideTheSixPollutantsAreIgnored() {
    HourlyMeans hour = HourlyMeans.empty("qingpu").add(TEN_PAST, Map.of(Parameter.AIR_TEMP, 12.0));

    assertThat(hour.means()).isEmpty();
  }

  @Test
  void checkpointsWriteItWithFlinksPojoSerializerNotKryo() {
    TypeInformation<HourlyMeans> type = TypeInformation.of(HourlyMeans.class);

    assertThat(type).isInstanceOf(PojoTypeInfo.class);
    PojoTypeInfo<HourlyMeans> pojo = (PojoTypeInfo<HourlyMeans>) type;
    for (int i = 0; i < pojo.getArity(); i++) {
      assertThat(pojo.getTypeAt(i))
          .as(pojo.getPojoFieldAt(i).toString())
          .isNotInstanceOf(GenericTypeInfo.class);
    }
  }
}
