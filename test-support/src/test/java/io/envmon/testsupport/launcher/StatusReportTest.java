package io.envmon.testsupport.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StatusReportTest {

  /** The demo data file that ./envmon passes (the module's directory is the working directory). */
  static final Path DEMO_DATA = Path.of("../api/src/main/resources/demo/cluster.json");

  static final List<ServerFacts> INFRA =
      Stream.of(
              "infra\tmosquitto\trunning\t101\t/v/mosquitto/mosquitto.log\tmqtt.url=tcp://127.0.0.1:21883",
              "infra\tkafka\tunresponsive\t102\t/v/kafka/kafka.log\tkafka.bootstrap=127.0.0.1:29092",
              "infra\tinfluxdb\tstopped\t-\t/v/influxdb/influxd.log",
              "infra\tpostgres\trunning\t104\t/v/postgres/postgres.log"
                  + "\tpostgres.jdbcUrl=jdbc:postgresql://127.0.0.1:25432/envmon"
                  + "\tpostgres.user=envmon\tpostgres.password=envmon")
          .map(ServerFacts::parse)
          .toList();

  static final List<ServerFacts> APPS =
      Stream.of(
              "app\tapi\trunning\t201\t/v/api/api.log\turl=http://127.0.0.1:28080/api/v1"
                  + "\thealth=http://127.0.0.1:28080/health"
                  + "\tswagger=http://127.0.0.1:28080/swagger-ui/index.html"
                  + "\tdashboard=http://127.0.0.1:28080/",
              "app\tgateway-qingpu\tstopped\t-\t/v/gateway-qingpu/gateway-qingpu.log\tcity=qingpu"
                  + "\tcoap=coap://127.0.0.1:25683\tcoaps=coaps://127.0.0.1:25684"
                  + "\thj212=tcp://127.0.0.1:22121\thealth=http://127.0.0.1:28081/health"
                  + "\tcredentials=/r/demo/devices-qingpu.properties",
              "app\tsim\tstopped\t-\t/v/sim/sim.log\tscenario=demo-cluster")
          .map(ServerFacts::parse)
          .toList();

  final ObjectMapper mapper = new ObjectMapper();

  @Test
  void infraJsonKeysEachServerLikeTheEndpointsFile() throws Exception {
    JsonNode json = mapper.readTree(new StatusReport("/v", "/r", INFRA, List.of()).json());

    assertThat(json.get("var").asText()).isEqualTo("/v");
    assertThat(json.get("mqtt").toString())
        .isEqualTo(
            "{\"state\":\"running\",\"pid\":101,\"url\":\"tcp://127.0.0.1:21883\","
                + "\"log\":\"/v/mosquitto/mosquitto.log\"}");
    assertThat(json.get("kafka").get("bootstrap").asText()).isEqualTo("127.0.0.1:29092");
    assertThat(json.get("influxdb").get("pid").isNull()).isTrue();
    assertThat(json.get("influxdb").has("url")).isFalse();
    assertThat(json.get("postgres").get("jdbcUrl").asText())
        .isEqualTo("jdbc:postgresql://127.0.0.1:25432/envmon");
    assertThat(json.get("postgres").get("password").asText()).isEqualTo("envmon");
    assertThat(json.has("apps")).isFalse();
    assertThat(json.has("demoLogins")).isFalse();
  }

  @Test
  void platformJsonAddsTheAppsAndTheDemoLoginsOfTheDataFile() throws Exception {
    List<ServerFacts> all = Stream.concat(INFRA.stream(), APPS.stream()).toList();
    JsonNode json =
        mapper.readTree(new StatusReport("/v", "/r", all, DemoLogin.read(DEMO_DATA)).json());

    List<String> keys = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(keys::add);
    assertThat(keys)
        .containsExactly("var", "mqtt", "kafka", "influxdb", "postgres", "apps", "demoLogins");
    assertThat(json.at("/apps/api/swagger").asText())
        .isEqualTo("http://127.0.0.1:28080/swagger-ui/index.html");
    assertThat(json.at("/apps/gateway-qingpu/hj212").asText()).isEqualTo("tcp://127.0.0.1:22121");
    assertThat(json.at("/apps/sim/log").asText()).isEqualTo("/v/sim/sim.log");
    assertThat(json.get("demoLogins").get(0).toString())
        .isEqualTo(
            "{\"username\":\"coordinator\",\"password\":\"demo-coordinator\","
                + "\"role\":\"coordinator\",\"city\":null}");
    assertThat(json.get("demoLogins").get(1).get("city").asText()).isEqualTo("qingpu");
  }

  @Test
  void valuesAreEscapedAsJson() throws Exception {
    List<ServerFacts> odd =
        List.of(ServerFacts.parse("infra\tinfluxdb\tstopped\t-\t/v/a \"quoted\" \\ log"));
    JsonNode json = mapper.readTree(new StatusReport("/v", "/r", odd, List.of()).json());

    assertThat(json.at("/influxdb/log").asText()).isEqualTo("/v/a \"quoted\" \\ log");
  }

  @Test
  void infraTextShowsStatePidAndMainEndpointAndExits3UnlessAllRun() {
    StatusReport report = new StatusReport("/v", "/r", INFRA, List.of());

    assertThat(report.infraText())
        .isEqualTo(
            """
            envmon infrastructure in /v:
              mosquitto  running       pid 101     tcp://127.0.0.1:21883
              kafka      unresponsive  pid 102     127.0.0.1:29092
              influxdb   stopped                   (port chosen at start)
              postgres   running       pid 104     jdbc:postgresql://127.0.0.1:25432/envmon
            """);
    assertThat(report.exitStatus()).isEqualTo(3);
    assertThat(new StatusReport("/v", "/r", List.of(INFRA.get(0)), List.of()).exitStatus())
        .isZero();
  }

  @Test
  void platformTextListsTheAppsWhereToReachThemAndTheLogins() {
    List<ServerFacts> all = Stream.concat(INFRA.stream(), APPS.stream()).toList();
    String text = new StatusReport("/v", "/r", all, DemoLogin.read(DEMO_DATA)).platformText();

    assertThat(text)
        .contains(
            """
            envmon platform in /v:
              api              running       pid 201
              gateway-qingpu   stopped      \s
              sim              stopped      \s
              API        http://127.0.0.1:28080/api/v1  (health http://127.0.0.1:28080/health)
              Swagger UI http://127.0.0.1:28080/swagger-ui/index.html
              dashboard  http://127.0.0.1:28080/
              MQTT       tcp://127.0.0.1:21883  (stations publish to envmon/v1/{city}/{point}/up)
              gateway qingpu   CoAP coap://127.0.0.1:25683  CoAPs coaps://127.0.0.1:25684  \
            HJ 212 tcp://127.0.0.1:22121  health http://127.0.0.1:28081/health
              jobs       Flink MiniCluster, checkpoints in ?
              simulator  scenario demo-cluster, progress in /v/sim/sim.log
              logs       /v/<app>/<app>.log; device credentials /r/demo/devices-<city>.properties
              demo logins (user / password, role, city):
                coordinator        demo-coordinator         coordinator -
                qingpu-bureau      demo-qingpu-bureau       bureau      qingpu
            """);
  }

  @Test
  void mainRefusesUnknownArgumentsAndAPlatformReportWithoutDemoData() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    assertThatThrownBy(() -> StatusMain.run(new String[] {"infra", "--xml"}, INFRA, out))
        .hasMessageContaining("unknown argument '--xml'");
    assertThatThrownBy(
            () ->
                StatusMain.run(new String[] {"platform", "--var", "/v", "--home", "/r"}, APPS, out))
        .hasMessageContaining("platform needs --demo-data");
    assertThatThrownBy(
            () -> StatusMain.run(new String[] {"health", "--var", "/v", "--home", "/r"}, APPS, out))
        .hasMessageContaining("needs --demo-data");
  }

  @Test
  void mainPrintsTheInfraTextAndReturnsItsExitStatus() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int status = StatusMain.run(new String[] {"infra", "--var", "/v", "--home", "/r"}, INFRA, out);

    assertThat(status).isEqualTo(3);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("envmon infrastructure in /v:");
  }
}
