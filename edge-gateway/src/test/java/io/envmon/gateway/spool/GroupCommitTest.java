package io.envmon.gateway.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fsync thread on its own: what it forces, in which order, and when futures complete. */
class GroupCommitTest {

  private static final AppendResult APPENDED = new AppendResult.Appended(List.of());

  @TempDir Path directory;

  private FileChannel channel(String name) throws Exception {
    return FileChannel.open(
        directory.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  /** Waits in a forcer, as a slow disk would; an interrupt is an I/O failure there. */
  private static void await(CountDownLatch latch) throws InterruptedIOException {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  @Test
  void aRetiredSegmentIsForcedWithMetadataAndClosedAfterTheAppendsWrittenToIt() throws Exception {
    CountDownLatch firstForce = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> forced = new ArrayList<>();
    FileChannel full = channel("1.segment");
    FileChannel next = channel("2.segment");
    GroupCommit.ChannelForcer recording =
        (channel, metaData) -> {
          firstForce.countDown();
          await(release);
          forced.add((channel == full ? "full" : "next") + (metaData ? "+metadata" : ""));
          channel.force(metaData);
        };
    try (GroupCommit commit = new GroupCommit(directory, recording)) {
      CompletableFuture<AppendResult> first = commit.durable(full, APPENDED);
      firstForce.await(10, TimeUnit.SECONDS);
      // While the first fsync runs: one more append to the full segment, then the next segment.
      CompletableFuture<AppendResult> second = commit.durable(full, APPENDED);
      commit.retire(full);
      CompletableFuture<AppendResult> third = commit.durable(next, APPENDED);
      assertThat(second).isNotDone();
      release.countDown();

      assertThat(CompletableFuture.allOf(first, second, third).get(10, TimeUnit.SECONDS)).isNull();
      assertThat(forced).containsExactly("full", "full+metadata", "next");
      assertThat(full.isOpen()).isFalse();
      assertThat(next.isOpen()).isTrue();
      assertThat(commit.syncs()).isEqualTo(2);
      assertThat(commit.syncedAppends()).isEqualTo(3);
    } finally {
      next.close();
    }
  }

  @Test
  void closingCompletesEveryAppendItWasGivenFirst() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
    try (FileChannel segment = channel("1.segment")) {
      GroupCommit commit =
          new GroupCommit(
              directory,
              (channel, metaData) -> {
                await(release);
                channel.force(metaData);
              });
      for (int i = 0; i < 5; i++) {
        futures.add(commit.durable(segment, APPENDED));
      }
      release.countDown();
      commit.close();
      assertThat(futures).allSatisfy(f -> assertThat(f).isCompletedWithValue(APPENDED));
    }
  }
}
