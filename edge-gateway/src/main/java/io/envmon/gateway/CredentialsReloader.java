package io.envmon.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the device credentials file when its content changes (polled every {@code
 * credentials.reload.seconds}) and swaps the new devices into the live {@link DeviceCredentials}
 * without a restart. A file that cannot be read or parsed keeps the devices in use and is logged
 * with the reason, once per broken content.
 */
public final class CredentialsReloader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CredentialsReloader.class);

  private final Path file;
  private final DeviceCredentials credentials;
  private final ScheduledExecutorService timer;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private byte[] seenDigest;

  /**
   * @param credentials the devices in use, loaded from {@code file}'s current content
   */
  public CredentialsReloader(Path file, DeviceCredentials credentials) {
    this.file = file;
    this.credentials = credentials;
    this.seenDigest = digest(read());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "credentials-reload");
              thread.setDaemon(true);
              return thread;
            });
  }

  public CredentialsReloader start(Duration interval) {
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
    log.info("credentials: watching {} every {} s", file, interval.toSeconds());
    return this;
  }

  /** Reloads if the content changed since the last look; returns whether the devices changed. */
  public synchronized boolean check() {
    try {
      byte[] content = read();
      byte[] digest = digest(content);
      if (Arrays.equals(digest, seenDigest)) {
        return false;
      }
      seenDigest = digest;
      if (content == null) {
        failures.incrementAndGet();
        log.warn(
            "credentials: {} is gone or unreadable; keeping the {} devices in use",
            file,
            credentials.size());
        return false;
      }
      DeviceCredentials reloaded;
      try {
        reloaded = DeviceCredentials.load(file);
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        log.warn(
            "credentials: {} changed but is not valid, keeping the {} devices in use: {}",
            file,
            credentials.size(),
            e.getMessage());
        return false;
      }
      int before = credentials.size();
      credentials.replaceWith(reloaded);
      reloads.incrementAndGet();
      log.info("credentials: reloaded {}: {} devices (were {})", file, reloaded.size(), before);
      return true;
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      log.error("credentials: reloading {} failed; keeping the devices in use", file, e);
      return false;
    }
  }

  /** Successful reloads so far. */
  public long reloads() {
    return reloads.get();
  }

  /** Changed contents that could not be used (unreadable or invalid) so far. */
  public long failures() {
    return failures.get();
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] digest(byte[] content) {
    if (content == null) {
      return new byte[0];
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
