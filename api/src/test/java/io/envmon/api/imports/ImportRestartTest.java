package io.envmon.api.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImportRestartTest {

  static final Path SPOOL = Path.of("/spool");

  static ImportRow unfinished(String id, String status, Instant createdAt) {
    return new ImportRow(
        id,
        "wujiang",
        null,
        "CSV",
        status,
        10,
        0,
        0,
        0,
        0,
        0,
        0,
        null,
        null,
        null,
        createdAt,
        "wujiang-bureau",
        "api-1",
        null,
        null);
  }

  static Path file(String id) {
    return SPOOL.resolve(id + ".upload");
  }

  @Test
  void interruptedImportsWhoseFileIsThereRunAgainOldestFirstTheOthersAreLost() {
    ImportRow running = unfinished("a", "RUNNING", Instant.parse("2026-01-01T00:00:00Z"));
    ImportRow queued = unfinished("b", "QUEUED", Instant.parse("2026-01-01T00:01:00Z"));
    ImportRow gone = unfinished("c", "QUEUED", Instant.parse("2026-01-01T00:02:00Z"));

    ImportService.Restart restart =
        ImportService.Restart.of(
            List.of(queued, gone, running),
            Set.of("a", "b", "c"),
            Set.of(file("a"), file("b")),
            ImportRestartTest::file);

    assertThat(restart.resubmit()).containsExactly(running, queued);
    assertThat(restart.lost()).containsExactly(gone);
    assertThat(restart.orphans()).isEmpty();
  }

  @Test
  void aSpoolFileOfNoUnfinishedImportIsAnOrphanButAnotherReplicasIsKept() {
    ImportService.Restart restart =
        ImportService.Restart.of(
            List.of(),
            Set.of("other-replicas"),
            Set.of(file("done-long-ago"), file("other-replicas")),
            ImportRestartTest::file);

    assertThat(restart.resubmit()).isEmpty();
    assertThat(restart.lost()).isEmpty();
    assertThat(restart.orphans()).containsExactly(file("done-long-ago"));
  }
}
