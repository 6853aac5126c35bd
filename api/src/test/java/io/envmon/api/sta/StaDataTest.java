package io.envmon.api.sta;

import static org.assertj.core.api.Assertions.assertThat;

import io.envmon.api.open.PublicData;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.PointKind;
import io.envmon.domain.point.PointStatus;
import io.envmon.domain.point.SharingScope;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StaDataTest {

  /** Two public points; counts how often all of them are read, and refuses a read of one. */
  static final class CountingPublicData extends PublicData {
    int reads;

    CountingPublicData() {
      super(null, null, null);
    }

    @Override
    public List<MonitoringPoint> publicPoints() {
      reads++;
      return List.of(point("a-air-01"), point("b-air-01"));
    }

    @Override
    public Optional<MonitoringPoint> publicPoint(String pointId) {
      throw new AssertionError("a snapshot looks points up in itself, not by reading them again");
    }

    static MonitoringPoint point(String id) {
      return new MonitoringPoint(
          id,
          "q",
          PointKind.AIR,
          "Point " + id,
          null,
          31.0,
          121.0,
          PointStatus.ACTIVE,
          SharingScope.CLUSTER,
          Set.of(),
          null,
          null);
    }
  }

  @Test
  @DisplayName("a snapshot reads the public points once, however many entities it looks up")
  void snapshotReadsThePointsOnce() {
    CountingPublicData points = new CountingPublicData();
    StaData snapshot = new StaData(points, null, null).snapshot();
    List<StaEntity> things = snapshot.all(EntitySet.THINGS);
    assertThat(things).extracting(StaEntity::id).containsExactly("a-air-01", "b-air-01");
    for (StaEntity thing : things) {
      assertThat(snapshot.find(EntitySet.THINGS, thing.id())).isPresent();
      assertThat(snapshot.related(thing, "Datastreams", Optional.empty())).isNotEmpty();
      assertThat(snapshot.find(EntitySet.DATASTREAMS, thing.id() + ":pm25")).isPresent();
    }
    assertThat(snapshot.find(EntitySet.THINGS, "c-air-01")).isEmpty();
    assertThat(points.reads).isEqualTo(1);
  }
}
