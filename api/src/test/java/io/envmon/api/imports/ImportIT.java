package io.envmon.api.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envmon.api.ApiTestServer;
import io.envmon.api.InfluxWriter;
import io.envmon.domain.DecodeException;
import io.envmon.domain.reading.AcceptedReading;
import io.envmon.domain.reading.AcceptedReadingJson;
import io.envmon.domain.reading.Measurement;
import io.envmon.domain.reading.Reading;
import io.envmon.domain.reading.Source;
import io.envmon.testsupport.Infrastructure;
import io.envmon.testsupport.WithRealInfrastructure;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Imports of history through the HTTP API, on the real servers: the file is checked, imported in
 * the background and its accepted readings produced to the run's readings topic, which is what the
 * stream jobs persist (the API's ITs run no jobs: what reaches the topic is read back from it here,
 * and the reading ids and observation times that make the jobs' InfluxDB write an overwrite are
 * checked).
 */
@WithRealInfrastructure
class ImportIT {

  /** A day no other IT writes, years behind the lateness horizon: 2022-05-10 in Shanghai. */
  static final Instant DAY = Instant.parse("2022-05-09T16:00:00Z");

  static ApiTestServer api;
  static JsonMapper json;
  static final HttpClient http = HttpClient.newHttpClient();
  static final Map<String, String> tokens = new HashMap<>();
  static KafkaConsumer<byte[], byte[]> topic;

  /** Every imported reading seen on the readings topic so far, by the import that produced it. */
  static final Map<String, List<AcceptedReading>> produced = new HashMap<>();

  @BeforeAll
  static void start(Infrastructure infrastructure) throws Exception {
    api = ApiTestServer.start(infrastructure);
    json = api.server.getApplicationContext().getBean(JsonMapper.class);
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.kafkaBootstrap());
    topic = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        topic.partitionsFor(api.readingsTopic).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    topic.assign(partitions);
    topic.seekToBeginning(partitions);
  }

  @AfterAll
  static void stop() {
    topic.close();
  }

  static String token(String user) {
    return tokens.computeIfAbsent(user, api::tokenOf);
  }

  static HttpResponse<String> upload(String user, String query, String contentType, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api.server.getURL() + "/api/v1/imports?" + query))
            .header("Authorization", "Bearer " + token(user))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String user, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api.server.getURL() + path))
            .header("Authorization", "Bearer " + token(user))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String body) throws IOException {
    return json.readValue(body, Map.class);
  }

  /** Uploads, expects 202 with a Location, and waits for the import to end; its final status. */
  static Map<String, Object> imported(String user, String query, String contentType, String body)
      throws Exception {
    HttpResponse<String> accepted = upload(user, query, contentType, body);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String location = accepted.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/api/v1/imports/");
    assertThat(object(accepted.body())).containsEntry("status", "QUEUED");
    Map<String, Object> status = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              status.clear();
              status.putAll(object(get(user, location).body()));
              return !"QUEUED".equals(status.get("status"))
                  && !"RUNNING".equals(status.get("status"));
            });
    assertThat(status.get("status")).as(status.toString()).isEqualTo("DONE");
    assertThat(status.get("percent")).isEqualTo(100);
    return status;
  }

  /**
   * The readings the import produced to the readings topic, once {@code count} of them are there.
   */
  static List<AcceptedReading> producedBy(String importId, int count) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (ConsumerRecord<byte[], byte[]> record : topic.poll(Duration.ofMillis(200))) {
                try {
                  AcceptedReading reading = AcceptedReadingJson.decode(record.value());
                  if (reading.gatewayId().startsWith("import-")) {
                    produced
                        .computeIfAbsent(
                            reading.gatewayId().substring("import-".length()),
                            id -> new ArrayList<>())
                        .add(reading);
                  }
                } catch (DecodeException e) {
                  // another IT's undecodable record
                }
              }
              return produced.getOrDefault(importId, List.of()).size() >= count;
            });
    return produced.get(importId);
  }

  /** pm25 by observation time. */
  static Map<Instant, Double> pm25(List<AcceptedReading> readings) {
    Map<Instant, Double> byTime = new TreeMap<>();
    for (AcceptedReading reading : readings) {
      reading.reading().measurements().stream()
          .filter(m -> m.parameter().canonicalName().equals("pm25"))
          .forEach(m -> byTime.put(reading.reading().observedAt(), m.value()));
    }
    return byTime;
  }

  @Test
  @DisplayName(
      "a raw CSV export imports as it is: every row on the readings topic with the stored row's"
          + " id, time, values and flags, and an upload of it again takes the same readings")
  void anExportImportsAsItIsAndAgainWithoutDuplicates() throws Exception {
    List<AcceptedReading> stored = new ArrayList<>();
    for (int i = 0; i < 288; i++) {
      Instant time = DAY.plus(Duration.ofMinutes(5L * i));
      stored.add(
          InfluxWriter.accepted(
              "wujiang",
              "wujiang-air-02",
              "AIR",
              time,
              Map.of("pm25", 20.0 + i % 50, "pm10", 40.5),
              i % 97 == 0 ? Map.of("pm25", "M") : Map.of()));
    }
    try (InfluxWriter influx = new InfluxWriter(api)) {
      influx.readings(stored);
    }
    HttpResponse<String> export =
        get(
            "wujiang-bureau",
            "/api/v1/export/readings?kind=AIR&points=wujiang-air-02&view=raw&from="
                + DAY
                + "&to="
                + DAY.plus(Duration.ofDays(1)));
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.body().lines().count()).isEqualTo(289);

    Map<String, Object> first =
        imported("wujiang-bureau", "city=wujiang", "text/csv", export.body());
    assertThat(first)
        .containsEntry("rowsRead", 288)
        .containsEntry("accepted", 288)
        .containsEntry("refused", 0)
        .containsEntry("valuesRefused", 0)
        .containsEntry("firstObserved", DAY.toString())
        .containsEntry("createdBy", "wujiang-bureau");
    List<AcceptedReading> once = producedBy((String) first.get("id"), 288);
    Map<String, Reading> storedById =
        stored.stream()
            .map(AcceptedReading::reading)
            .collect(Collectors.toMap(Reading::readingId, r -> r));
    for (AcceptedReading imported : once) {
      Reading original = storedById.get(imported.reading().readingId());
      assertThat(original).as("the stored reading with this id").isNotNull();
      assertThat(imported.reading().observedAt()).isEqualTo(original.observedAt());
      assertThat(imported.reading().measurements())
          .containsExactlyInAnyOrderElementsOf(original.measurements());
      assertThat(imported.reading().source()).isEqualTo(Source.IMPORT);
      assertThat(imported.cityId()).isEqualTo("wujiang");
    }
    assertThat(once).hasSize(288);

    Map<String, Object> again =
        imported("wujiang-bureau", "point=wujiang-air-02", "text/csv", export.body());
    assertThat(again).containsEntry("accepted", 288).containsEntry("refused", 0);
    List<AcceptedReading> twice = producedBy((String) again.get("id"), 288);
    assertThat(twice).hasSize(288);
    assertThat(twice.stream().map(r -> r.reading().readingId()).collect(Collectors.toSet()))
        .as("the same reading ids, so the same InfluxDB series and times: overwritten, not doubled")
        .isEqualTo(storedById.keySet());
  }

  @Test
  @DisplayName(
      "bad rows are refused with their line and reason, bad values left out, the good rows taken")
  void badRowsAreReportedAndGoodOnesTaken() throws Exception {
    Instant day = Instant.parse("2022-05-31T16:00:00Z");
    String future = Instant.now().plus(Duration.ofHours(2)).toString();
    String csv =
        String.join(
            "\r\n",
            "time_utc,point,pm25 (ug/m3),pm25_flag,pm10 (ug/m3)", // line 1
            day + ",wujiang-air-01,35,N,50", // 2 good
            day + ",nowhere-air-01,35,N,50", // 3 unknown point
            day + ",qingpu-air-01,35,N,50", // 4 another city's point
            day.plusSeconds(60) + ",wujiang-air-01,abc,N,", // 5 bad value, nothing else
            day.plusSeconds(120) + ",wujiang-air-01,-4,N,", // 6 impossible value
            future + ",wujiang-air-01,35,N,50", // 7 future timestamp
            "2022-06-01 08:03,wujiang-air-01,35,N,50", // 8 time without offset
            day.plusSeconds(240) + ",wujiang-air-01,36,N,-1", // 9 good pm25, pm10 left out
            day.plusSeconds(300) + ",wujiang-air-01,37,X,51", // 10 bad flag: pm25 left out
            day.plusSeconds(360) + ",wujiang-air-01,38", // 11 too few cells
            "2022-06-01T00:07:00+08:00,wujiang-air-01,39,N,52", // 12 good, local time
            "");
    Map<String, Object> status = imported("wujiang-bureau", "city=wujiang", "text/csv", csv);
    assertThat(status)
        .containsEntry("rowsRead", 11)
        .containsEntry("accepted", 4)
        .containsEntry("refused", 7)
        .containsEntry("valuesRefused", 2);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> refusals = (List<Map<String, Object>>) status.get("refusals");
    Map<Integer, String> reasonByLine = new TreeMap<>();
    refusals.forEach(r -> reasonByLine.put((Integer) r.get("line"), (String) r.get("reason")));
    assertThat(reasonByLine)
        .containsEntry(3, "unknown_point")
        .containsEntry(4, "point_of_other_city")
        .containsEntry(5, "malformed")
        .containsEntry(6, "impossible_value")
        .containsEntry(7, "future_timestamp")
        .containsEntry(8, "malformed")
        .containsEntry(9, "impossible_value")
        .containsEntry(10, "malformed")
        .containsEntry(11, "malformed")
        .doesNotContainKeys(2, 12);
    Map<String, Object> otherCity =
        refusals.stream().filter(r -> r.get("line").equals(4)).findFirst().orElseThrow();
    assertThat(otherCity).containsEntry("wholeRow", true).containsEntry("point", "qingpu-air-01");
    assertThat((String) otherCity.get("detail"))
        .isEqualTo("point 'qingpu-air-01' belongs to city qingpu, this import is for city wujiang");
    Map<String, Object> leftOut =
        refusals.stream().filter(r -> r.get("line").equals(9)).findFirst().orElseThrow();
    assertThat(leftOut).containsEntry("wholeRow", false).containsEntry("location", "pm10");

    List<AcceptedReading> taken = producedBy((String) status.get("id"), 4);
    assertThat(pm25(taken))
        .containsExactly(
            Map.entry(day, 35.0),
            Map.entry(day.plusSeconds(240), 36.0),
            Map.entry(day.plusSeconds(420), 39.0));
    assertThat(taken)
        .filteredOn(r -> r.reading().observedAt().equals(day.plusSeconds(300)))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.reading().measurements())
                    .extracting(Measurement::value)
                    .containsExactly(51.0));

    HttpResponse<String> report =
        get("wujiang-bureau", "/api/v1/imports/" + status.get("id") + "/refusals");
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
    List<String> lines = report.body().lines().toList();
    assertThat(lines.get(0)).isEqualTo("line,point,whole_row,reason,location,detail");
    assertThat(lines).hasSize(1 + 9);
    assertThat(lines).anyMatch(l -> l.startsWith("4,qingpu-air-01,true,point_of_other_city,,"));
  }

  @Test
  @DisplayName(
      "a SenML pack imports by the gateway's decoder: bad unit and unknown parameter refused")
  void senmlPackImports() throws Exception {
    double t = Instant.parse("2022-06-02T00:00:00Z").getEpochSecond();
    String pack =
        "[{\"bn\":\"wujiang-noise-01:\",\"bt\":"
            + (long) t
            + ",\"n\":\"leq\",\"u\":\"dB(A)\",\"v\":55.5},"
            + "{\"n\":\"lmax\",\"v\":70},"
            + "{\"n\":\"leq\",\"t\":60,\"v\":56},"
            + "{\"n\":\"leq\",\"t\":120,\"u\":\"Pa\",\"v\":57},"
            + "{\"n\":\"loudness\",\"t\":180,\"v\":58}]";
    Map<String, Object> status =
        imported("wujiang-bureau", "city=wujiang", "application/senml+json", pack);
    assertThat(status).containsEntry("accepted", 2).containsEntry("refused", 2);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> refusals = (List<Map<String, Object>>) status.get("refusals");
    assertThat(refusals)
        .extracting(r -> r.get("line") + " " + r.get("location"))
        .containsExactly("3 record 3 u", "4 record 4 n");
    List<AcceptedReading> taken = producedBy((String) status.get("id"), 2);
    assertThat(taken)
        .extracting(r -> r.reading().observedAt())
        .containsExactlyInAnyOrder(
            Instant.parse("2022-06-02T00:00:00Z"), Instant.parse("2022-06-02T00:01:00Z"));
    assertThat(taken).allSatisfy(r -> assertThat(r.kind().name()).isEqualTo("NOISE"));
  }

  @Test
  @DisplayName(
      "a bureau imports for its own city only: 403 for another city or its point, and for a"
          + " viewer; another city's import is not found")
  void aBureauImportsForItsOwnCityOnly() throws Exception {
    String csv = "time_utc,point,pm25\r\n2022-06-03T00:00:00Z,qingpu-air-01,30\r\n";
    assertThat(upload("wujiang-bureau", "city=qingpu", "text/csv", csv).statusCode())
        .isEqualTo(403);
    assertThat(upload("wujiang-bureau", "point=qingpu-air-01", "text/csv", csv).statusCode())
        .isEqualTo(403);
    assertThat(upload("qingpu-viewer", "city=qingpu", "text/csv", csv).statusCode()).isEqualTo(403);
    HttpResponse<String> forbidden = upload("wujiang-bureau", "city=qingpu", "text/csv", csv);
    assertThat(forbidden.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(forbidden.body()).contains("qingpu");

    Map<String, Object> qingpu = imported("coordinator", "city=qingpu", "text/csv", csv);
    assertThat(qingpu).containsEntry("accepted", 1);
    assertThat(get("wujiang-bureau", "/api/v1/imports/" + qingpu.get("id")).statusCode())
        .isEqualTo(404);
    assertThat(get("qingpu-bureau", "/api/v1/imports/" + qingpu.get("id")).statusCode())
        .isEqualTo(200);
    assertThat(get("qingpu-bureau", "/api/v1/imports").body()).contains(qingpu.get("id") + "");
    assertThat(get("wujiang-bureau", "/api/v1/imports").body())
        .doesNotContain(qingpu.get("id") + "");
  }

  @Test
  @DisplayName(
      "a file whose header cannot be read is refused whole with the column named: 400, nothing"
          + " queued")
  void aBadHeaderIsRefusedAtUpload() throws Exception {
    Map<String, String> bad =
        Map.of(
            "time_utc,point,pm25 (mg/m3)\r\n2022-06-03T00:00:00Z,wujiang-air-01,0.03\r\n",
            "the unit of pm25 is ug/m3, not mg/m3",
            "time_utc,point,smog\r\n2022-06-03T00:00:00Z,wujiang-air-01,3\r\n",
            "'smog' names no parameter",
            "start_local,start_utc,city,point,pm25_mean (ug/m3),pm25_min (ug/m3)\r\n",
            "only raw readings can be imported",
            "point,pm25\r\nwujiang-air-01,3\r\n",
            "no time column");
    for (Map.Entry<String, String> file : bad.entrySet()) {
      HttpResponse<String> response =
          upload("wujiang-bureau", "city=wujiang", "text/csv", file.getKey());
      assertThat(response.statusCode()).as(file.getKey()).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/problem+json");
      assertThat(response.body()).contains(file.getValue());
    }
    HttpResponse<String> gbk =
        http.send(
            HttpRequest.newBuilder(URI.create(api.server.getURL() + "/api/v1/imports?city=wujiang"))
                .header("Authorization", "Bearer " + token("wujiang-bureau"))
                .header("Content-Type", "text/csv")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        "time_utc,point,pm25\r\n2022-06-03T00:00:00Z,吴江-01,3\r\n"
                            .getBytes(java.nio.charset.Charset.forName("GBK"))))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(gbk.statusCode()).as(gbk.body()).isEqualTo(400);
    assertThat(gbk.body()).contains("the file is not UTF-8").contains("save it as UTF-8 CSV");
    assertThat(upload("wujiang-bureau", "city=wujiang", "application/senml+json", "{").statusCode())
        .isEqualTo(400);
    assertThat(upload("wujiang-bureau", "city=wujiang", "text/plain", "x").statusCode())
        .isEqualTo(415);
  }

  @Test
  @DisplayName(
      "a JSON body is still held to 128 KiB (413) while an import's file may be larger than that")
  void onlyTheImportStreamsLargeBodies() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(140_000) + "\"}";
    HttpResponse<String> json =
        http.send(
            HttpRequest.newBuilder(URI.create(api.server.getURL() + "/api/v1/points"))
                .header("Authorization", "Bearer " + token("wujiang-bureau"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(big))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(413);

    StringBuilder csv = new StringBuilder("time_utc,point,pm25\r\n");
    Instant day = Instant.parse("2022-06-04T00:00:00Z");
    for (int i = 0; i < 5000; i++) {
      csv.append(day.plusSeconds(60L * i)).append(",wujiang-air-01,").append(i % 90).append("\r\n");
    }
    assertThat(csv.length()).isGreaterThan(131_072);
    Map<String, Object> status =
        imported("wujiang-bureau", "city=wujiang", "text/csv", csv.toString());
    assertThat(status).containsEntry("accepted", 5000).containsEntry("fileBytes", csv.length());
    assertThat(producedBy((String) status.get("id"), 5000)).hasSize(5000);
    assertThat(Set.copyOf(producedBy((String) status.get("id"), 5000))).hasSize(5000);
  }

  @Test
  @DisplayName(
      "at start, an import a stop interrupted runs again from its spool file; one whose file is"
          + " gone is FAILED with the reason; a spool file of no unfinished import is deleted")
  void interruptedImportsRunAgainAtStart() throws Exception {
    ImportService service = api.server.getApplicationContext().getBean(ImportService.class);
    ImportRepository repository =
        api.server.getApplicationContext().getBean(ImportRepository.class);
    String csv = "time_utc,point,pm25\r\n2022-06-05T00:00:00Z,wujiang-air-01,12\r\n";
    String interrupted = java.util.UUID.randomUUID().toString();
    String gone = java.util.UUID.randomUUID().toString();
    String orphan = java.util.UUID.randomUUID().toString();
    for (String id : List.of(interrupted, gone)) {
      repository.save(
          new ImportRow(
              id,
              "wujiang",
              null,
              "CSV",
              id.equals(gone) ? "QUEUED" : "RUNNING",
              csv.length(),
              0,
              0,
              0,
              0,
              0,
              0,
              null,
              null,
              null,
              Instant.now(),
              "wujiang-bureau",
              service.replica(),
              null,
              null));
    }
    java.nio.file.attribute.FileTime beforeStart =
        java.nio.file.attribute.FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    for (String id : List.of(interrupted, orphan)) {
      java.nio.file.Files.writeString(service.spoolFile(id), csv);
      java.nio.file.Files.setLastModifiedTime(service.spoolFile(id), beforeStart);
    }

    service.onApplicationEvent(null);

    Map<String, Object> status = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              status.clear();
              status.putAll(object(get("wujiang-bureau", "/api/v1/imports/" + interrupted).body()));
              return "DONE".equals(status.get("status"));
            });
    assertThat(status).containsEntry("accepted", 1);
    assertThat(producedBy(interrupted, 1)).hasSize(1);
    Map<String, Object> lost = object(get("wujiang-bureau", "/api/v1/imports/" + gone).body());
    assertThat(lost).containsEntry("status", "FAILED");
    assertThat((String) lost.get("error")).contains("its uploaded file is gone");
    assertThat(service.spoolFile(orphan)).doesNotExist();
    assertThat(service.spoolFile(interrupted)).doesNotExist();
  }

  @Test
  @DisplayName(
      "with max-queued imports waiting for their turn, one more upload is answered 429"
          + " problem+json with Retry-After, and taken again once they have run")
  void aFullQueueAnswers429WithRetryAfter() throws Exception {
    ImportService service = api.server.getApplicationContext().getBean(ImportService.class);
    ImportRunner runner = api.server.getApplicationContext().getBean(ImportRunner.class);
    ImportRepository repository =
        api.server.getApplicationContext().getBean(ImportRepository.class);
    String csv = "time_utc,point,pm25\r\n2022-06-06T00:00:00Z,wujiang-air-01,12\r\n";
    // The running import reads a named pipe: it holds the one worker until the pipe is written.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = java.util.UUID.randomUUID().toString();
      ids.add(id);
      ImportRow row =
          repository.save(
              new ImportRow(
                  id,
                  "wujiang",
                  null,
                  "CSV",
                  "QUEUED",
                  csv.length(),
                  0,
                  0,
                  0,
                  0,
                  0,
                  0,
                  null,
                  null,
                  null,
                  Instant.now(),
                  "wujiang-bureau",
                  service.replica(),
                  null,
                  null));
      java.nio.file.Path file = service.spoolFile(id);
      if (i == 0) {
        assertThat(new ProcessBuilder("mkfifo", file.toString()).start().waitFor()).isZero();
      } else {
        java.nio.file.Files.writeString(file, csv);
      }
      runner.submit(row, file);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> runner.waiting() == 4);

    HttpResponse<String> refused = upload("wujiang-bureau", "city=wujiang", "text/csv", csv);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/problem+json");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
    assertThat(refused.body())
        .contains("imports waiting for their turn (envmon.imports.max-queued)");

    java.nio.file.Files.writeString(service.spoolFile(ids.get(0)), csv); // the pipe: run on
    for (String id : ids) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "DONE"
                      .equals(
                          object(get("wujiang-bureau", "/api/v1/imports/" + id).body())
                              .get("status")));
    }
    imported("wujiang-bureau", "city=wujiang", "text/csv", csv);
  }

  @Test
  @DisplayName("an upload the client abandons mid-body leaves no file in the spool")
  void anAbandonedUploadIsDeleted() throws Exception {
    ImportService service = api.server.getApplicationContext().getBean(ImportService.class);
    java.nio.file.Path spool = service.spoolFile("any").getParent();
    Set<java.nio.file.Path> before = spooled(spool);
    Set<java.nio.file.Path> receiving = new java.util.HashSet<>();
    try (java.net.Socket socket = new java.net.Socket(api.server.getHost(), api.server.getPort())) {
      java.io.OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/imports?city=wujiang HTTP/1.1\r\nHost: localhost\r\n"
                  + "Authorization: Bearer "
                  + token("wujiang-bureau")
                  + "\r\nContent-Type: text/csv\r\nContent-Length: 1000000\r\n\r\n"
                  + "time_utc,point,pm25\r\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                receiving.addAll(spooled(spool));
                receiving.removeAll(before);
                return !receiving.isEmpty();
              });
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> receiving.stream().noneMatch(java.nio.file.Files::exists));
  }

  static Set<java.nio.file.Path> spooled(java.nio.file.Path spool) throws IOException {
    try (var files = java.nio.file.Files.list(spool)) {
      return files.collect(Collectors.toSet());
    }
  }
}
