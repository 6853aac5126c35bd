package io.envmon.testsupport.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFactsTest {

  @Test
  void readsALineOfTheLaunchersFacts() {
    ServerFacts facts =
        ServerFacts.parse(
            "infra\tpostgres\trunning\t4242\t/v/postgres/postgres.log"
                + "\tpostgres.jdbcUrl=jdbc:postgresql://127.0.0.1:25432/envmon?a=b\tpostgres.user=envmon");

    assertThat(facts)
        .isEqualTo(
            new ServerFacts(
                ServerFacts.Group.INFRA,
                "postgres",
                "running",
                4242L,
                "/v/postgres/postgres.log",
                Map.of(
                    "postgres.jdbcUrl", "jdbc:postgresql://127.0.0.1:25432/envmon?a=b",
                    "postgres.user", "envmon")));
    assertThat(facts.endpoints().keySet()).containsExactly("postgres.jdbcUrl", "postgres.user");
  }

  @Test
  void aStoppedServerHasNoPidAndMayHaveNoEndpoints() {
    ServerFacts facts = ServerFacts.parse("app\tsim\tstopped\t-\t/v/sim/sim.log");

    assertThat(facts.pid()).isNull();
    assertThat(facts.endpoints()).isEmpty();
    assertThat(facts.running()).isFalse();
  }

  @Test
  void aBadLineIsRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> ServerFacts.parse("infra\tkafka\trunning"))
        .hasMessageContaining("group, name, state, pid and log");
    assertThatThrownBy(() -> ServerFacts.parse("db\tkafka\trunning\t1\tlog"))
        .hasMessageContaining("infra or app, not 'db'");
    assertThatThrownBy(() -> ServerFacts.parse("infra\tkafka\trunning\tx1\tlog"))
        .hasMessageContaining("pid of kafka is not a number: 'x1'");
    assertThatThrownBy(() -> ServerFacts.parse("infra\tkafka\trunning\t1\tlog\tbootstrap"))
        .hasMessageContaining("endpoint of kafka is not key=value: 'bootstrap'");
  }
}
