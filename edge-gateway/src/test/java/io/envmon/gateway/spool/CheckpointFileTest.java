package io.envmon.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The acknowledged sequence is replaced whole: a crash leaves the old value or the new one. */
class CheckpointFileTest {

  @TempDir Path directory;

  private CheckpointFile checkpoint() {
    return new CheckpointFile(directory.resolve("acknowledged"));
  }

  private Stream<String> files() throws IOException {
    return Files.list(directory).map(p -> p.getFileName().toString());
  }

  @Test
  void withoutACheckpointEverythingSpooledIsResent() throws IOException {
    assertThat(checkpoint().read()).isZero();
  }

  @Test
  void aWrittenSequenceIsReadBackByTheNextGatewayAndReplacedByTheNextWrite() throws IOException {
    checkpoint().write(41);
    assertThat(checkpoint().read()).isEqualTo(41);

    checkpoint().write(1_000_000_007L);
    assertThat(checkpoint().read()).isEqualTo(1_000_000_007L);
    assertThat(files()).containsExactly("acknowledged"); // no temporary file left behind
  }

  @Test
  void aCrashWhileWritingTheNextValueLeavesThePreviousOne() throws IOException {
    checkpoint().write(41);
    // The crash came after part of the temporary file was written, before the rename.
    Files.writeString(directory.resolve("acknowledged.tmp"), "99");

    assertThat(checkpoint().read()).isEqualTo(41);
    checkpoint().write(42);
    assertThat(checkpoint().read()).isEqualTo(42);
    assertThat(files()).containsExactly("acknowledged");
  }

  @Test
  void anUnreadableCheckpointResendsEverything() throws IOException {
    Files.writeString(directory.resolve("acknowledged"), "4x");
    assertThat(checkpoint().read()).isZero();
  }
}
