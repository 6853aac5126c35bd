package io.envmon.api.sta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envmon.api.problem.InvalidRequestException;
import io.micronaut.http.exceptions.HttpStatusException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Paths, paging, ordering, selection and expansion over three Things with two Datastreams each. */
class StaResourcesTest {

  static final String BASE = "http://host/sta/v1.1";

  /** Things a, b, c (cities q, w, q); Datastreams a:x, a:y, ...; Observations of a:x only. */
  static final class ThreeThings extends StaData {
    ThreeThings() {
      super(null, null, null);
    }

    @Override
    public StaData snapshot() {
      return this;
    }

    static StaEntity thing(String id, String city) {
      return new StaEntity(
          EntitySet.THINGS, id, Map.of("name", "Thing " + id, "properties", Map.of("city", city)));
    }

    static StaEntity datastream(String id) {
      return new StaEntity(EntitySet.DATASTREAMS, id, Map.of("name", "Datastream " + id));
    }

    static StaEntity observation(int hour, double result) {
      Instant start = Instant.parse("2026-01-10T00:00:00Z").plusSeconds(3600L * hour);
      Map<String, Object> properties = new LinkedHashMap<>();
      properties.put("phenomenonTime", new StaEntity.Interval(start, start.plusSeconds(3600)));
      properties.put("resultTime", start.plusSeconds(3600));
      properties.put("result", result);
      return new StaEntity(EntitySet.OBSERVATIONS, "a:x:" + start, properties);
    }

    @Override
    public List<StaEntity> all(EntitySet set) {
      return switch (set) {
        case THINGS -> List.of(thing("c", "q"), thing("a", "q"), thing("b", "w"));
        case DATASTREAMS ->
            List.of(
                datastream("a:x"),
                datastream("a:y"),
                datastream("b:x"),
                datastream("b:y"),
                datastream("c:x"),
                datastream("c:y"));
        default -> List.of();
      };
    }

    @Override
    public Optional<StaEntity> find(EntitySet set, String id) {
      return all(set).stream().filter(e -> e.id().equals(id)).findFirst();
    }

    @Override
    public List<StaEntity> related(StaEntity entity, String property, Optional<Filter> filter) {
      if (property.equals("Datastreams")) {
        return all(EntitySet.DATASTREAMS).stream()
            .filter(d -> d.id().startsWith(entity.id() + ":"))
            .toList();
      }
      if (property.equals("Observations") && entity.id().equals("a:x")) {
        List<StaEntity> observations = new ArrayList<>();
        for (int hour = 0; hour < 5; hour++) {
          observations.add(observation(hour, 10.0 * hour));
        }
        return observations;
      }
      if (property.equals("Thing")) {
        return find(EntitySet.THINGS, entity.id().substring(0, 1)).stream().toList();
      }
      return List.of();
    }
  }

  /** Observations of at most three Datastreams expanded per request. */
  static final StaLimits LIMITS =
      new StaLimits(java.time.Duration.ofHours(168), java.time.Duration.ofHours(744), 3);

  final StaResources resources = new StaResources(new ThreeThings(), LIMITS);

  @SuppressWarnings("unchecked")
  Map<String, Object> json(String path, String... nameValues) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      parameters.put(nameValues[i], nameValues[i + 1]);
    }
    return ((StaResources.Answer.Json) resources.answer(BASE, path, parameters)).body();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> value(Map<String, Object> body) {
    return (List<Map<String, Object>>) body.get("value");
  }

  @Test
  @DisplayName("a set is ordered by id by default, with self and navigation links")
  void setWithLinks() {
    List<Map<String, Object>> things = value(json("Things"));
    assertThat(things).extracting(t -> t.get("@iot.id")).containsExactly("a", "b", "c");
    assertThat(things.get(0))
        .containsEntry("@iot.selfLink", BASE + "/Things('a')")
        .containsEntry("Datastreams@iot.navigationLink", BASE + "/Things('a')/Datastreams")
        .containsEntry("name", "Thing a");
  }

  @Test
  @DisplayName("$top and $skip page, @iot.count counts after $filter, nextLink moves $skip on")
  void paging() {
    Map<String, Object> page = json("Datastreams", "$top", "4", "$count", "true");
    assertThat(value(page)).hasSize(4);
    assertThat(page).containsEntry("@iot.count", 6);
    assertThat((String) page.get("@iot.nextLink"))
        .startsWith(BASE + "/Datastreams?")
        .contains("%24top=4")
        .contains("%24skip=4");
    Map<String, Object> last = json("Datastreams", "$top", "4", "$skip", "4");
    assertThat(value(last)).extracting(d -> d.get("@iot.id")).containsExactly("c:x", "c:y");
    assertThat(last).doesNotContainKey("@iot.nextLink");
    Map<String, Object> countOnly = json("Things", "$top", "0", "$count", "true");
    assertThat(countOnly).containsEntry("@iot.count", 3).doesNotContainKey("@iot.nextLink");
  }

  @Test
  @DisplayName("$filter on properties and $orderby with desc, ties by id")
  void filterAndOrder() {
    assertThat(
            value(
                json(
                    "Things",
                    "$filter",
                    "properties/city eq 'q'",
                    "$orderby",
                    "properties/city desc")))
        .extracting(t -> t.get("@iot.id"))
        .containsExactly("a", "c");
    assertThat(
            value(
                json(
                    "Datastreams('a:x')/Observations",
                    "$orderby",
                    "phenomenonTime desc",
                    "$filter",
                    "result ge 20")))
        .extracting(o -> o.get("result"))
        .containsExactly(40.0, 30.0, 20.0);
  }

  @Test
  @DisplayName("an Observation's times are ISO 8601 text, phenomenonTime an interval")
  void observationTimes() {
    Map<String, Object> first = value(json("Datastreams('a:x')/Observations", "$top", "1")).get(0);
    assertThat(first)
        .containsEntry("phenomenonTime", "2026-01-10T00:00:00Z/2026-01-10T01:00:00Z")
        .containsEntry("resultTime", "2026-01-10T01:00:00Z")
        .containsEntry(
            "Datastream@iot.navigationLink",
            BASE + "/Observations('a:x:2026-01-10T00:00:00Z')/Datastream");
  }

  @Test
  @DisplayName("$select keeps the named properties; $expand nests with its own options")
  @SuppressWarnings("unchecked")
  void selectAndExpand() {
    Map<String, Object> thing =
        json(
            "Things('a')", "$select", "id,name", "$expand", "Datastreams($top=1;$orderby=id desc)");
    assertThat(thing)
        .containsOnlyKeys("@iot.id", "name", "Datastreams", "Datastreams@iot.nextLink");
    assertThat((List<Map<String, Object>>) thing.get("Datastreams"))
        .extracting(d -> d.get("@iot.id"))
        .containsExactly("a:y");
    assertThat((String) thing.get("Datastreams@iot.nextLink"))
        .startsWith(BASE + "/Things('a')/Datastreams?")
        .contains("%24orderby=id%20desc")
        .contains("%24skip=1");
    Map<String, Object> datastream = json("Datastreams('b:x')", "$expand", "Thing");
    assertThat((Map<String, Object>) datastream.get("Thing")).containsEntry("@iot.id", "b");
  }

  @Test
  @DisplayName("navigation, a property, $value, $ref and an entity of a navigated collection")
  void paths() {
    assertThat(json("Datastreams('a:y')/Thing")).containsEntry("@iot.id", "a");
    assertThat(json("Things('b')/name")).isEqualTo(Map.of("name", "Thing b"));
    assertThat(
            ((StaResources.Answer.Text) resources.answer(BASE, "Things('b')/name/$value", Map.of()))
                .body())
        .isEqualTo("Thing b");
    assertThat(value(json("Things('a')/Datastreams/$ref")))
        .extracting(r -> r.get("@iot.selfLink"))
        .containsExactly(BASE + "/Datastreams('a:x')", BASE + "/Datastreams('a:y')");
    assertThat(json("Things('a')/Datastreams('a:y')")).containsEntry("@iot.id", "a:y");
  }

  @Test
  @DisplayName("unknown sets and ids are 404; unknown properties and navigation are 400")
  void refusals() {
    assertThatThrownBy(() -> json("Unicorns")).isInstanceOf(HttpStatusException.class);
    assertThatThrownBy(() -> json("Things('zz')")).isInstanceOf(HttpStatusException.class);
    assertThatThrownBy(() -> json("Things('a')/Datastreams('b:x')"))
        .isInstanceOf(HttpStatusException.class);
    assertThatThrownBy(() -> json("Things", "$filter", "colour eq 'red'"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Things have no property colour");
    assertThatThrownBy(() -> json("Things", "$orderby", "Datastreams/name"))
        .hasMessageContaining("navigation properties");
    assertThatThrownBy(() -> json("Things", "$select", "colour"))
        .hasMessageContaining("no property colour");
    assertThatThrownBy(() -> json("Things", "$expand", "Observations"))
        .hasMessageContaining("no navigation property Observations");
    assertThatThrownBy(() -> json("Things", "$expand", "Datastreams($filter=colour eq 1)"))
        .hasMessageContaining("Datastreams have no property colour");
  }

  @Test
  @DisplayName("Observations of more Datastreams than the limit in one request are a 400")
  void expandedObservationsBudget() {
    // three Things × two Datastreams: six reads of Observations, the limit three
    assertThatThrownBy(() -> json("Things", "$expand", "Datastreams($expand=Observations)"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Observations of at most 3 Datastreams")
        .hasMessageContaining("$top");
    // one Thing's two Datastreams are within it, and each request counts afresh
    for (int request = 0; request < 2; request++) {
      List<Map<String, Object>> things =
          value(json("Things", "$top", "1", "$expand", "Datastreams($expand=Observations)"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> datastreams =
          (List<Map<String, Object>>) things.get(0).get("Datastreams");
      assertThat(datastreams).extracting(d -> d.get("@iot.id")).containsExactly("a:x", "a:y");
      assertThat((List<?>) datastreams.get(0).get("Observations")).hasSize(5);
    }
  }
}
