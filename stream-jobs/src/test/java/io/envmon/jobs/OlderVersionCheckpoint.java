package io.envmon.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * A small job with keyed state in one operator, standing for an older version of the jobs: its
 * retained checkpoints are what a restore meets after an upgrade changed an operator's uid or the
 * type of its state.
 */
final class OlderVersionCheckpoint {

  private OlderVersionCheckpoint() {}

  /** Runs the job until it has a retained checkpoint under {@code checkpoints}; returns chk-n. */
  static Path write(Path checkpoints, String uid) throws Exception {
    JobClient job = start(checkpoints, null, uid, false);
    try {
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (completeCheckpoint(checkpoints).isEmpty()) {
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("no checkpoint in " + checkpoints);
        }
        Thread.sleep(100);
      }
    } finally {
      job.cancel().get();
    }
    return completeCheckpoint(checkpoints).orElseThrow();
  }

  /**
   * The job with state of operator {@code uid}: a String per key, or a Long (an incompatible change
   * of the state's type) when {@code longState}.
   */
  static JobClient start(Path checkpoints, String restoreFrom, String uid, boolean longState)
      throws Exception {
    Configuration config = new Configuration();
    config.set(StateBackendOptions.STATE_BACKEND, "hashmap");
    config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
    config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
    config.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    if (restoreFrom != null) {
      config.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
    }
    JobRestarts.install(config); // as StreamJobsMain does
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
    env.setParallelism(1);
    env.fromSequence(0, Long.MAX_VALUE)
        .map(
            n -> {
              Thread.sleep(2);
              return n % 10;
            })
        .uid(uid + "-numbers")
        .keyBy(n -> n)
        .process(new LastValue(longState))
        .uid(uid)
        .sinkTo(new DiscardingSink<>())
        .uid(uid + "-sink");
    return env.executeAsync("older version " + uid);
  }

  /** The first complete checkpoint; empty also when Flink renamed a file the walk was visiting. */
  static Optional<Path> completeCheckpoint(Path checkpoints) throws IOException {
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files
          .filter(p -> p.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .findFirst();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return Optional.empty(); // a checkpoint being written: look again
      }
      throw e;
    }
  }

  /** Keeps the last value of each key, as a String or as a Long. */
  static final class LastValue extends KeyedProcessFunction<Long, Long, Long> {
    private final boolean asLong;
    private transient ValueState<Object> last;

    LastValue(boolean asLong) {
      this.asLong = asLong;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void open(OpenContext context) {
      TypeInformation type = asLong ? Types.LONG : Types.STRING;
      last = getRuntimeContext().getState(new ValueStateDescriptor<Object>("last", type));
    }

    @Override
    public void processElement(Long n, Context context, Collector<Long> out) throws Exception {
      last.update(asLong ? (Object) n : (Object) ("n" + n));
      out.collect(n);
    }
  }
}
