package io.envmon.gateway.registry;

import io.envmon.domain.DecodeException;
import io.envmon.domain.point.MonitoringPoint;
import io.envmon.domain.point.MonitoringPointJson;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last registry the gateway saw, on disk: one {@code envmon.points.v1} JSON value per line, so
 * the gateway can validate readings after a restart while Kafka is unreachable.
 */
public final class RegistrySnapshot {

  private static final Logger log = LoggerFactory.getLogger(RegistrySnapshot.class);

  private final Path file;

  public RegistrySnapshot(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The points of the snapshot; empty when there is none. A bad line is logged and skipped. */
  public List<MonitoringPoint> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<MonitoringPoint> points = new ArrayList<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        try {
          points.add(MonitoringPointJson.decode(line.getBytes(StandardCharsets.UTF_8)));
        } catch (DecodeException | RuntimeException e) {
          log.warn("registry snapshot {} line {}: {}; skipped", file, i + 1, e.getMessage());
        }
      }
    } catch (IOException e) {
      log.warn("cannot read the registry snapshot {}; starting with an empty registry", file, e);
      return List.of();
    }
    return points;
  }

  /** Replaces the snapshot atomically (write, fsync, rename). */
  public void save(List<MonitoringPoint> points) throws IOException {
    StringBuilder text = new StringBuilder();
    points.stream()
        .sorted(Comparator.comparing(MonitoringPoint::id))
        .forEach(
            p ->
                text.append(new String(MonitoringPointJson.encode(p), StandardCharsets.UTF_8))
                    .append('\n'));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    try {
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
