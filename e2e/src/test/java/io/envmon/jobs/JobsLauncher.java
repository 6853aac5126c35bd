package io.envmon.jobs;

import java.util.Properties;
import org.apache.flink.core.execution.JobClient;

/** Starts the stream jobs in a local MiniCluster as {@code StreamJobsMain} does (test access). */
public final class JobsLauncher {
  private JobsLauncher() {}

  public static JobClient start(Properties properties) throws Exception {
    return start(properties, java.time.Clock.systemUTC());
  }

  /** The same on another platform clock (the readings' watermarks follow it). */
  public static JobClient start(Properties properties, java.time.Clock platformClock)
      throws Exception {
    return StreamJobsMain.start(
        StreamJobsSettings.from(properties, java.util.Map.of()).withPlatformClock(platformClock));
  }
}
