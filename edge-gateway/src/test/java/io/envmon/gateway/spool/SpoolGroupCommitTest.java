package io.envmon.gateway.spool;

import static io.envmon.gateway.spool.SpoolTest.readAfter;
import static io.envmon.gateway.spool.SpoolTest.reading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.envmon.domain.reading.AcceptedReading;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit: one fsync covers the appends written while the previous one ran. */
class SpoolGroupCommitTest {

  @TempDir Path directory;

  private Spool open(long capBytes, long segmentBytes, GroupCommit.ChannelForcer forcer) {
    return Spool.open(
        new Spool.Options(directory, capBytes, segmentBytes, FsyncPolicy.EVERY_APPEND), forcer);
  }

  private static long sequenceOf(AppendResult result) {
    return ((AppendResult.Appended) result).readings().get(0).gatewaySequence();
  }

  @Test
  void concurrentAppendsAllCompleteDurablyInOrderPerThreadAndShareFsyncs() throws Exception {
    int threads = 8;
    int perThread = 150;
    AtomicInteger forces = new AtomicInteger();
    // The first fsync lasts until every append is written: all of them are then waiting, and
    // group commit must cover them with a few fsyncs, not one each.
    CountDownLatch allWritten = new CountDownLatch(threads);
    GroupCommit.ChannelForcer counting =
        (channel, metaData) -> {
          if (forces.incrementAndGet() == 1) {
            try {
              allWritten.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new java.io.InterruptedIOException("interrupted");
            }
          }
          channel.force(metaData);
        };
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    // Small segments: many segment changes happen while fsyncs are running.
    try (Spool spool = open(8L << 20, 8192, counting)) {
      List<Future<List<AppendResult>>> perThreadResults = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        int thread = t;
        perThreadResults.add(
            pool.submit(
                () -> {
                  start.await();
                  List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    futures.add(spool.appendAsync(List.of(reading(thread * 1000 + i))));
                  }
                  allWritten.countDown();
                  return futures.stream().map(CompletableFuture::join).toList();
                }));
      }
      start.countDown();
      Set<Long> sequences = new HashSet<>();
      for (Future<List<AppendResult>> results : perThreadResults) {
        List<AppendResult> ofThread = results.get(60, TimeUnit.SECONDS);
        assertThat(ofThread).hasSize(perThread).allMatch(r -> r instanceof AppendResult.Appended);
        List<Long> ordered = ofThread.stream().map(SpoolGroupCommitTest::sequenceOf).toList();
        assertThat(ordered).isSorted();
        sequences.addAll(ordered);
      }
      assertThat(sequences).hasSize(threads * perThread);
      assertThat(spool.groupSyncedAppends()).isEqualTo(threads * perThread);
      assertThat(allWritten.getCount()).isZero();
      assertThat(spool.groupSyncs()).isLessThanOrEqualTo(3);
      assertThat(forces.get()).isGreaterThanOrEqualTo((int) spool.groupSyncs());
      List<AcceptedReading> read = readAfter(spool, 0, threads * perThread + 10);
      assertThat(read).hasSize(threads * perThread);
      assertThat(read.get(read.size() - 1).gatewaySequence()).isEqualTo(threads * perThread);
    } finally {
      pool.shutdownNow();
    }
    try (Spool reopened = open(8L << 20, 8192, FileChannel::force)) {
      assertThat(reopened.recovery().records()).isEqualTo(threads * perThread);
      assertThat(reopened.recovery().droppedBytes()).isZero();
    }
  }

  @Test
  void anAppendCompletesOnlyAfterTheFsyncThatCoversIt() throws Exception {
    CountDownLatch forcing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit.ChannelForcer slow =
        (channel, metaData) -> {
          forcing.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          channel.force(metaData);
        };
    try (Spool spool = open(1 << 20, 1 << 16, slow)) {
      CompletableFuture<AppendResult> first = spool.appendAsync(List.of(reading(1)));
      assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<AppendResult> second = spool.appendAsync(List.of(reading(2)));
      // Written (the forwarder could read them) but not yet durable: not completed.
      assertThat(readAfter(spool, 0, 10)).hasSize(2);
      assertThat(first).isNotDone();
      assertThat(second).isNotDone();
      release.countDown();
      assertThat(sequenceOf(first.get(10, TimeUnit.SECONDS))).isEqualTo(1);
      assertThat(sequenceOf(second.get(10, TimeUnit.SECONDS))).isEqualTo(2);
    }
  }

  @Test
  void aFailedFsyncFailsEveryWaiterAndEveryLaterAppendNeverAcknowledging() throws Exception {
    CountDownLatch forcing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit.ChannelForcer failing =
        (channel, metaData) -> {
          forcing.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IOException("simulated EIO on fsync");
        };
    Spool spool = open(1 << 20, 1 << 16, failing);
    try {
      CompletableFuture<AppendResult> inFsync = spool.appendAsync(List.of(reading(1)));
      assertThat(forcing.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<AppendResult>> waiting = new ArrayList<>();
      for (int i = 2; i <= 6; i++) {
        waiting.add(spool.appendAsync(List.of(reading(i))));
      }
      release.countDown();
      List<CompletableFuture<AppendResult>> all = new ArrayList<>(waiting);
      all.add(inFsync);
      await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().allMatch(f -> f.isDone()));
      for (CompletableFuture<AppendResult> future : all) {
        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::join)
            .isInstanceOf(CompletionException.class)
            .hasCauseInstanceOf(SpoolException.class);
      }
      // Later appends are refused at once, blocking or not.
      assertThat(spool.appendAsync(List.of(reading(7)))).isCompletedExceptionally();
      assertThatThrownBy(() -> spool.append(List.of(reading(8))))
          .isInstanceOf(SpoolException.class)
          .hasMessageContaining("fsync");
    } finally {
      spool.close();
    }
  }

  @Test
  void atTheCapAnAsyncAppendIsRefusedAtOnce() {
    try (Spool spool = open(2048, 1024, FileChannel::force)) {
      int appended = 0;
      AppendResult result;
      while (!((result = spool.appendAsync(List.of(reading(appended))).join())
          instanceof AppendResult.Full)) {
        appended++;
      }
      assertThat(result).isEqualTo(new AppendResult.Full(2048));
      assertThat(appended).isPositive();
      CompletableFuture<AppendResult> refused = spool.appendAsync(List.of(reading(99)));
      assertThat(refused).isCompletedWithValue(new AppendResult.Full(2048));
      assertThat(spool.depth()).isEqualTo(appended);
    }
  }

  @Test
  void appendsAfterCloseFailInsteadOfWaitingForever() {
    Spool spool = open(1 << 20, 1 << 16, FileChannel::force);
    spool.close();
    assertThat(spool.appendAsync(List.of(reading(1)))).isCompletedExceptionally();
  }
}
