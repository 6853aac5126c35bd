package io.envmon.api.sta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.fraunhofer.iosb.ilt.sta.NotFoundException;
import de.fraunhofer.iosb.ilt.sta.model.Datastream;
import de.fraunhofer.iosb.ilt.sta.model.Location;
import de.fraunhofer.iosb.ilt.sta.model.Observation;
import de.fraunhofer.iosb.ilt.sta.model.Thing;
import de.fraunhofer.iosb.ilt.sta.model.ext.EntityList;
import de.fraunhofer.iosb.ilt.sta.service.SensorThingsService;
import io.envmon.api.ApiCalls;
import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The SensorThings API read by a client we did not write: FROST-Client (Fraunhofer IOSB, Maven
 * Central) against the JVM's API on the demo cluster, with readings of a public point and of a
 * PRIVATE one written where the stream jobs write them, and a review mark of the public one.
 */
@WithRealInfrastructure
class SensorThingsIT {

  static final String PUBLIC_POINT = "jiashan-air-01";
  static final String PRIVATE_POINT = "qingpu-noise-01";
  static final List<String> HIDDEN =
      List.of(
          "qingpu-noise-01", // PRIVATE
          "qingpu-water-dianshan-01", // CITIES
          "jiashan-water-taipu-01", // CITIES
          "qingpu-air-02", // PLANNED
          "jiashan-noise-01"); // PLANNED

  /** Six hours of readings, two a hour; the hour from 02:00 is invalidated by a review mark. */
  static final Instant DAY = Instant.parse("2026-02-14T00:00:00Z");

  static final Instant INVALIDATED_HOUR = DAY.plus(Duration.ofHours(2));

  static ApiTestServer api;
  static ApiCalls calls;
  static InfluxWriter influx;
  static SensorThingsService sta;

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    calls = new ApiCalls(api);
    influx = new InfluxWriter(api);
    List<AcceptedReading> readings = new ArrayList<>();
    for (int hour = 0; hour < 6; hour++) {
      for (int minute : List.of(10, 40)) {
        Instant at = DAY.plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute));
        // pm25 of hour h: 10h + 1 at :10 and 10h + 3 at :40, mean 10h + 2
        readings.add(
            InfluxWriter.accepted(
                "jiashan",
                PUBLIC_POINT,
                "AIR",
                at,
                Map.of("pm25", 10.0 * hour + (minute == 10 ? 1 : 3), "pm10", 50.0),
                Map.of()));
        readings.add(
            InfluxWriter.accepted(
                "qingpu", PRIVATE_POINT, "NOISE", at, Map.of("leq", 55.0), Map.of()));
      }
    }
    influx.readings(readings);
    var mark =
        api.http()
            .exchange(
                HttpRequest.POST(
                        "/api/v1/points/" + PUBLIC_POINT + "/reviews",
                        Map.of(
                            "from", INVALIDATED_HOUR.toString(),
                            "to", INVALIDATED_HOUR.plus(Duration.ofHours(1)).toString(),
                            "parameter", "pm25",
                            "verdict", "INVALID",
                            "reason", "MAINTENANCE"))
                    .bearerAuth(api.tokenOf("jiashan-bureau")));
    assertThat(mark.code()).isEqualTo(201);
    sta = new SensorThingsService(new URL(api.server.getURL() + StaController.PATH));
    Datastream pm25 = sta.datastreams().find(PUBLIC_POINT + ":pm25");
    // the mark is in force once the reviewed view leaves its hour out
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        pm25.observations().query().filter(pm25Filter()).list().toList().stream()
                            .map(o -> o.getPhenomenonTime().getAsInterval().getStart()))
                    .hasSize(5)
                    .doesNotContain(INVALIDATED_HOUR));
  }

  @AfterAll
  static void stop() {
    influx.close();
  }

  static String pm25Filter() {
    return "phenomenonTime ge " + DAY + " and phenomenonTime lt " + DAY.plus(Duration.ofHours(6));
  }

  @Test
  @DisplayName(
      "FROST-Client lists the Things: the public points, and no PRIVATE, CITIES or PLANNED one")
  void thingsAreThePublicPoints() throws Exception {
    EntityList<Thing> things = sta.things().query().top(1000).list();
    List<String> ids = things.toList().stream().map(t -> t.getId().getValue().toString()).toList();
    assertThat(ids)
        .contains("qingpu-air-01", "wujiang-air-01", "wujiang-noise-01", PUBLIC_POINT)
        .doesNotContainAnyElementsOf(HIDDEN);
    Thing jiashan = sta.things().find(PUBLIC_POINT);
    assertThat(jiashan.getName()).isEqualTo("嘉善县监测站");
    assertThat(jiashan.getProperties())
        .containsEntry("city", "jiashan")
        .containsEntry("kind", "AIR")
        .containsEntry("code", PUBLIC_POINT);
    for (String hidden : HIDDEN) {
      assertThatThrownBy(() -> sta.things().find(hidden))
          .as(hidden)
          .isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> sta.locations().find(hidden)).isInstanceOf(NotFoundException.class);
    }
  }

  @Test
  @DisplayName("a $filter on properties with $count: the Things of one city")
  void thingsOfACity() throws Exception {
    EntityList<Thing> jiashan =
        sta.things().query().filter("properties/city eq 'jiashan'").count().list();
    assertThat(jiashan.toList()).extracting(t -> t.getId().getValue()).contains(PUBLIC_POINT);
    assertThat(jiashan.toList())
        .allSatisfy(t -> assertThat(t.getProperties()).containsEntry("city", "jiashan"));
    assertThat(jiashan.getCount()).isEqualTo(jiashan.size());
  }

  @Test
  @DisplayName("the Datastreams of a Thing, one per parameter, with the unit and its navigation")
  void datastreamsOfAThing() throws Exception {
    Thing thing = sta.things().find(PUBLIC_POINT);
    List<Datastream> datastreams = thing.datastreams().query().top(100).list().toList();
    assertThat(datastreams)
        .extracting(d -> d.getId().getValue())
        .contains(PUBLIC_POINT + ":pm25", PUBLIC_POINT + ":co", PUBLIC_POINT + ":o3");
    Datastream pm25 = sta.datastreams().find(PUBLIC_POINT + ":pm25");
    assertThat(pm25.getUnitOfMeasurement().getSymbol()).isEqualTo("µg/m³");
    assertThat(pm25.getUnitOfMeasurement().getDefinition()).endsWith("ug/m3");
    assertThat(pm25.getObservationType()).endsWith("OM_Measurement");
    assertThat(pm25.getThing().getId().getValue()).isEqualTo(PUBLIC_POINT);
    assertThat(pm25.getObservedProperty().getName()).isEqualTo("pm25");
    assertThat(pm25.getSensor().getId().getValue()).isEqualTo("AIR");
    assertThatThrownBy(() -> sta.datastreams().find(PRIVATE_POINT + ":leq"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  @DisplayName(
      "a Datastream's Observations with a time filter, newest first, $top: hourly means of the"
          + " reviewed values, the invalidated hour left out")
  void observationsOfADatastream() throws Exception {
    Datastream pm25 = sta.datastreams().find(PUBLIC_POINT + ":pm25");
    EntityList<Observation> newest =
        pm25.observations()
            .query()
            .filter(pm25Filter())
            .orderBy("phenomenonTime desc")
            .top(3)
            .count()
            .list();
    assertThat(newest.getCount()).isEqualTo(5);
    assertThat(newest.toList())
        .extracting(o -> ((BigDecimal) o.getResult()).doubleValue())
        .containsExactly(52.0, 42.0, 32.0);
    Observation latest = newest.toList().get(0);
    assertThat(latest.getPhenomenonTime().getAsInterval().getStart())
        .isEqualTo(DAY.plus(Duration.ofHours(5)));
    assertThat(latest.getPhenomenonTime().getAsInterval().getEnd())
        .isEqualTo(DAY.plus(Duration.ofHours(6)));
    assertThat(newest.getNextLink()).as("two more on the next page").isNotNull();
    assertThat(newest.fullIterator()).toIterable().hasSize(5);
    // the id is stable: the same Observation by it
    Observation again = sta.observations().find(latest.getId());
    assertThat(again.getResult()).isEqualTo(latest.getResult());
    assertThatThrownBy(() -> sta.observations().find(PUBLIC_POINT + ":pm25:" + INVALIDATED_HOUR))
        .as("the invalidated hour has no Observation")
        .isInstanceOf(NotFoundException.class);
    List<Observation> above =
        pm25.observations().query().filter(pm25Filter() + " and result gt 30").list().toList();
    assertThat(above)
        .extracting(o -> ((BigDecimal) o.getResult()).doubleValue())
        .containsExactly(32.0, 42.0, 52.0);
  }

  @Test
  @DisplayName(
      "$expand: a Thing with its Locations and Datastreams, those with their newest Observation")
  void expand() throws Exception {
    Thing thing =
        sta.things()
            .query()
            .filter("id eq '" + PUBLIC_POINT + "'")
            .expand(
                "Locations,Datastreams($filter=name eq '嘉善县监测站 pm25';"
                    + "$expand=Observations($filter="
                    + pm25Filter()
                    + ";$orderby=phenomenonTime desc;$top=1))")
            .first();
    Location location = thing.getLocations().toList().get(0);
    assertThat(location.getEncodingType()).isEqualTo("application/geo+json");
    assertThat(location.getLocation().toString()).contains("120.922").contains("30.841");
    List<Datastream> datastreams = thing.getDatastreams().toList();
    assertThat(datastreams).hasSize(1);
    List<Observation> observations = datastreams.get(0).getObservations().toList();
    assertThat(observations)
        .extracting(o -> ((BigDecimal) o.getResult()).doubleValue())
        .containsExactly(52.0);
  }

  @Test
  @DisplayName(
      "the root document names the entity sets and the conformance; any origin may read it,"
          + " within the public rate limit")
  @SuppressWarnings("unchecked")
  void root() {
    var response =
        api.http()
            .exchange(
                HttpRequest.GET("/sta/v1.1").header("Origin", "https://gis.example"), Map.class);
    assertThat(response.header("Access-Control-Allow-Origin")).isIn("*", "https://gis.example");
    assertThat(response.header("X-RateLimit-Remaining")).isNotNull();
    Map<String, Object> root = response.body();
    assertThat(api.http().retrieve(HttpRequest.GET("/sta/v1.1/"), Map.class)).isEqualTo(root);
    assertThat((List<Map<String, Object>>) root.get("value"))
        .extracting(s -> s.get("name"))
        .contains(
            "Things", "Locations", "Datastreams", "Observations", "Sensors", "ObservedProperties");
    assertThat((List<String>) ((Map<String, Object>) root.get("serverSettings")).get("conformance"))
        .isNotEmpty();
  }

  @Test
  @DisplayName(
      "bad options are 400 problem+json with the reason; hidden points' paths are 404 alike")
  void refusals() {
    for (String query :
        List.of(
            "$filter=" + encode("substringof('Jia', name)"),
            "$filter=" + encode("name eq"),
            "$filter=" + encode("Datastreams/name eq 'x'"),
            "$filter=" + encode("colour eq 'red'"),
            "$orderby=" + encode("name sideways"),
            "$top=-1",
            "$resultFormat=dataArray",
            "$expand=Observations",
            "$filter=" + encode("properties/code gt 1e9999999999"),
            "$filter=" + encode("not ".repeat(40) + "name eq 'x'"),
            "$filter=" + encode("(".repeat(40) + "name eq 'x'" + ")".repeat(40)),
            "$top=99999999999",
            "$skip=" + encode("1.5"),
            "$expand=" + encode("Datastreams("),
            "$expand=" + encode("Datastreams($top=x)"))) {
      HttpClientResponseException bad = calls.failure(HttpRequest.GET("/sta/v1.1/Things?" + query));
      assertThat(bad.getStatus().getCode()).as(query).isEqualTo(400);
      assertThat(bad.getResponse().getContentType().orElseThrow().toString())
          .isEqualTo("application/problem+json");
    }
    HttpClientResponseException function =
        calls.failure(
            HttpRequest.GET("/sta/v1.1/Things?$filter=" + encode("substringof('Jia', name)")));
    assertThat(function.getResponse().getBody(String.class).orElseThrow())
        .contains("substringof() is not supported");
    assertThat(calls.failureStatus(HttpRequest.GET("/sta/v1.1/Observations"))).isEqualTo(400);
    // hours InfluxDB cannot hold: no Observations there, rather than a failed query
    String observations = "/sta/v1.1/Datastreams('" + PUBLIC_POINT + ":pm25')/Observations";
    for (String filter :
        List.of(
            "phenomenonTime lt 0001-01-01T00:00:00Z",
            "phenomenonTime ge 9999-12-31T00:00:00Z",
            "phenomenonTime ge 1677-01-01T00:00:00Z and phenomenonTime lt 1677-01-31T00:00:00Z")) {
      Map<?, ?> none =
          api.http()
              .retrieve(HttpRequest.GET(observations + "?$filter=" + encode(filter)), Map.class);
      assertThat((List<?>) none.get("value")).as(filter).isEmpty();
    }
    assertThat(
            calls.failureStatus(
                HttpRequest.GET(
                    "/sta/v1.1/Observations('"
                        + PUBLIC_POINT
                        + ":pm25:+1000000000-12-31T23:59:59.999999999Z')")))
        .isEqualTo(404);
    for (String path :
        List.of(
            "/sta/v1.1/Things('" + PRIVATE_POINT + "')/Datastreams",
            "/sta/v1.1/Datastreams('" + PRIVATE_POINT + ":leq')/Observations",
            "/sta/v1.1/Observations('" + PRIVATE_POINT + ":leq:" + DAY.plusSeconds(3600) + "')",
            "/sta/v1.1/Locations('qingpu-water-dianshan-01')",
            "/sta/v1.1/Unicorns")) {
      assertThat(calls.failureStatus(HttpRequest.GET(path))).as(path).isEqualTo(404);
    }
  }

  @Test
  @DisplayName("a property, its raw value, and the links of a collection ($ref)")
  @SuppressWarnings("unchecked")
  void propertiesAndRefs() {
    assertThat(
            api.http()
                .retrieve(
                    HttpRequest.GET("/sta/v1.1/Things('" + PUBLIC_POINT + "')/name"), Map.class))
        .containsEntry("name", "嘉善县监测站");
    assertThat(
            api.http()
                .retrieve(
                    HttpRequest.GET("/sta/v1.1/Things('" + PUBLIC_POINT + "')/name/$value"),
                    String.class))
        .isEqualTo("嘉善县监测站");
    Map<String, Object> refs =
        api.http()
            .retrieve(
                HttpRequest.GET("/sta/v1.1/Things('" + PUBLIC_POINT + "')/Datastreams/$ref?$top=2"),
                Map.class);
    List<Map<String, Object>> links = (List<Map<String, Object>>) refs.get("value");
    assertThat(links).hasSize(2).allSatisfy(l -> assertThat(l).containsOnlyKeys("@iot.selfLink"));
    assertThat(refs.get("@iot.nextLink").toString()).contains("/Datastreams/$ref");
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
