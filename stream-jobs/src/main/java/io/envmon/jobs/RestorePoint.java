package io.envmon.jobs;

import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Where the jobs' state comes from at start ({@code envmon.restore-from}): unset = the newest
 * complete checkpoint retained under the checkpoint directory (none there: a fresh start); {@code
 * none} = a fresh start; anything else = that checkpoint or savepoint. Flink restores it ({@code
 * execution.state-recovery.path}); docs/stream-jobs.md "Restarting from a checkpoint".
 *
 * @param path the checkpoint to restore, or null for a fresh start
 * @param automatic the path was found under the checkpoint directory, not given
 * @param description one line for the log saying what was chosen and why
 */
record RestorePoint(String path, boolean automatic, String description) {

  /** The value of {@code envmon.restore-from} that asks for a fresh start. */
  static final String NONE = "none";

  /**
   * A retained checkpoint: {@code <checkpoint dir>/<job id>/chk-<n>/} holding {@code _metadata}.
   */
  record Checkpoint(Path directory, long id, Instant completedAt) {}

  private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");
  private static final String METADATA = "_metadata";

  static RestorePoint choose(String restoreFrom, String checkpointDir) throws IOException {
    if (restoreFrom != null && restoreFrom.equalsIgnoreCase(NONE)) {
      return new RestorePoint(null, false, "nothing: envmon.restore-from=none (fresh start)");
    }
    if (restoreFrom != null) {
      return new RestorePoint(restoreFrom, false, restoreFrom + " (envmon.restore-from)");
    }
    Optional<Checkpoint> latest = latestComplete(checkpointDir);
    if (latest.isEmpty()) {
      return new RestorePoint(
          null, true, "nothing: no complete checkpoint under " + checkpointDir + " (fresh start)");
    }
    Checkpoint checkpoint = latest.get();
    return new RestorePoint(
        checkpoint.directory().toString(),
        true,
        checkpoint.directory()
            + " (the newest complete checkpoint under "
            + checkpointDir
            + ", completed "
            + checkpoint.completedAt()
            + "; envmon.restore-from=none starts fresh)");
  }

  /**
   * The newest complete checkpoint under {@code checkpointDir}, of any job that wrote there: the
   * one whose {@code _metadata} (written by Flink last, when the checkpoint completed) is the most
   * recent, then the highest id. Read with Flink's file systems, so {@code s3://} and {@code
   * hdfs://} work as {@code file://} does.
   */
  static Optional<Checkpoint> latestComplete(String checkpointDir) throws IOException {
    Path root = new Path(checkpointDir);
    FileSystem fs = root.getFileSystem();
    if (!fs.exists(root)) {
      return Optional.empty();
    }
    Checkpoint latest = null;
    Comparator<Checkpoint> order =
        Comparator.comparing(Checkpoint::completedAt).thenComparingLong(Checkpoint::id);
    for (FileStatus job : list(fs, root)) {
      if (!job.isDir()) {
        continue;
      }
      for (Checkpoint checkpoint : completeCheckpoints(fs, job.getPath())) {
        if (latest == null || order.compare(checkpoint, latest) > 0) {
          latest = checkpoint;
        }
      }
    }
    return Optional.ofNullable(latest);
  }

  /** The complete checkpoints directly under one job's directory. */
  static java.util.List<Checkpoint> completeCheckpoints(FileSystem fs, Path jobDirectory)
      throws IOException {
    java.util.List<Checkpoint> found = new java.util.ArrayList<>();
    for (FileStatus entry : list(fs, jobDirectory)) {
      Matcher name = CHECKPOINT.matcher(entry.getPath().getName());
      if (!entry.isDir() || !name.matches()) {
        continue;
      }
      Path metadata = new Path(entry.getPath(), METADATA);
      FileStatus status;
      try {
        status = fs.getFileStatus(metadata);
      } catch (java.io.FileNotFoundException notComplete) {
        continue; // in progress or abandoned when the job stopped
      }
      found.add(
          new Checkpoint(
              entry.getPath(),
              Long.parseLong(name.group(1)),
              Instant.ofEpochMilli(status.getModificationTime())));
    }
    return found;
  }

  /** A directory's entries; none when it vanished meanwhile (Flink deletes subsumed ones). */
  private static FileStatus[] list(FileSystem fs, Path directory) throws IOException {
    try {
      FileStatus[] entries = fs.listStatus(directory);
      return entries == null ? new FileStatus[0] : entries;
    } catch (java.io.FileNotFoundException gone) {
      return new FileStatus[0];
    }
  }
}
