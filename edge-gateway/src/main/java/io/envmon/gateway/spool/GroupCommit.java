package io.envmon.gateway.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's fsync thread ({@code spool-fsync}) under {@link FsyncPolicy#EVERY_APPEND}: it takes
 * every append written since its last fsync, forces their segments once, and only then completes
 * their futures, so appends written while an fsync runs share the next one. A failed fsync fails
 * every waiting append and every later one: nothing is acknowledged that is not known durable.
 */
final class GroupCommit implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

  /** Forces a channel to the disk; replaced in tests to simulate a slow or failing disk. */
  @FunctionalInterface
  interface ChannelForcer {
    void force(FileChannel channel, boolean metaData) throws IOException;
  }

  /**
   * An append written but not yet covered by an fsync, or a segment's channel to force and close
   * once the appends before it are durable ({@code retire}, then {@code future} is null).
   */
  private record Unsynced(
      FileChannel channel,
      boolean retire,
      CompletableFuture<AppendResult> future,
      AppendResult result) {}

  private final Path directory;
  private final ChannelForcer forcer;
  private final Object lock = new Object();
  // Guarded by lock; in write order (the spool enqueues under its own lock).
  private final List<Unsynced> unsynced = new ArrayList<>();
  private boolean stopping; // guarded by lock
  private volatile SpoolException failure;
  private final LongAdder syncs = new LongAdder();
  private final LongAdder syncedAppends = new LongAdder();
  private final Thread thread;

  GroupCommit(Path directory, ChannelForcer forcer) {
    this.directory = directory;
    this.forcer = forcer;
    this.thread = new Thread(this::run, "spool-fsync");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The future of an append just written to {@code channel}: completes with {@code result} after
   * the fsync that covers it, on this thread, or exceptionally when that fsync fails.
   */
  CompletableFuture<AppendResult> durable(FileChannel channel, AppendResult result) {
    CompletableFuture<AppendResult> future = new CompletableFuture<>();
    enqueue(new Unsynced(channel, false, future, result));
    return future;
  }

  /** A segment is full: its channel is forced and closed after the appends written to it. */
  void retire(FileChannel channel) {
    enqueue(new Unsynced(channel, true, null, null));
  }

  /** Set once an fsync failed; from then on no append may be acknowledged. */
  SpoolException failure() {
    return failure;
  }

  /** Fsyncs performed, and the appends they covered (for the benchmark). */
  long syncs() {
    return syncs.sum();
  }

  long syncedAppends() {
    return syncedAppends.sum();
  }

  private void enqueue(Unsynced entry) {
    synchronized (lock) {
      unsynced.add(entry);
      lock.notifyAll();
    }
  }

  private void run() {
    while (true) {
      List<Unsynced> batch;
      synchronized (lock) {
        while (unsynced.isEmpty() && !stopping) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            // only close() stops this thread, after draining
          }
        }
        if (unsynced.isEmpty()) {
          return;
        }
        batch = new ArrayList<>(unsynced);
        unsynced.clear();
      }
      SpoolException failed = failure;
      if (failed == null) {
        failed = forceAll(batch);
      }
      if (failed == null) {
        // Counted before the waiters learn of it, so a caller sees its own append counted.
        syncs.increment();
        syncedAppends.add(batch.stream().filter(entry -> entry.future() != null).count());
      }
      for (Unsynced entry : batch) {
        if (entry.future() == null) {
          continue;
        }
        if (failed == null) {
          entry.future().complete(entry.result());
        } else {
          entry.future().completeExceptionally(failed);
        }
      }
    }
  }

  private SpoolException forceAll(List<Unsynced> batch) {
    // The channels in write order, each once; true when the segment was retired (force + close).
    Map<FileChannel, Boolean> channels = new LinkedHashMap<>();
    for (Unsynced entry : batch) {
      channels.merge(entry.channel(), entry.retire(), Boolean::logicalOr);
    }
    for (Map.Entry<FileChannel, Boolean> channel : channels.entrySet()) {
      try {
        forcer.force(channel.getKey(), channel.getValue());
        if (channel.getValue()) {
          channel.getKey().close();
        }
      } catch (IOException | RuntimeException e) {
        failure =
            new SpoolException(
                "fsync of the spool in "
                    + directory
                    + " failed; appends are refused until the gateway restarts and recovers it",
                e);
        log.error("{}", failure.getMessage(), e);
        return failure;
      }
    }
    return null;
  }

  /** Completes (or fails) every append enqueued so far, then stops the thread. */
  @Override
  public void close() {
    synchronized (lock) {
      stopping = true;
      lock.notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
