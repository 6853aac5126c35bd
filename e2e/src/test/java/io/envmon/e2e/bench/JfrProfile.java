package io.envmon.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a process's CPU went in a JFR recording of {@code ./envmon bench e2e --profile-step K}
 * (docs/performance.md "Where the time goes"): the {@code jdk.ExecutionSample} events (a thread
 * running Java code, sampled every 10 ms with the {@code profile} settings) counted by thread
 * (digits folded, so a pool counts as one), by top frame (the method executing), and by the
 * innermost envmon frame on the stack (the platform's code that was running, itself or through a
 * library it called). E2eBenchmark runs it on the step's recordings when it ends; usage on its own:
 * {@code JfrProfile FILE.jfr...}; prints the top 12 of each.
 */
public final class JfrProfile {

  private static final int TOP = 12;

  private JfrProfile() {}

  public static void main(String[] args) throws IOException {
    System.out.print(profile(Arrays.stream(args).map(Path::of).toList()));
  }

  /**
   * The profile of the recordings in {@code dir} (those of {@code --profile-step}), printed and
   * written to {@code dir/profile.txt}; nothing when there are none.
   */
  static void profileRecordings(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(file -> file.toString().endsWith(".jfr")).sorted().toList();
    }
    if (files.isEmpty()) {
      return;
    }
    String profile = profile(files);
    System.out.print(profile);
    Files.writeString(dir.resolve("profile.txt"), profile);
  }

  /** The three counts of each recording, read event by event (a recording may be large). */
  static String profile(List<Path> files) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Path file : files) {
      Map<String, Integer> threads = new HashMap<>();
      Map<String, Integer> topFrames = new HashMap<>();
      Map<String, Integer> envmonFrames = new HashMap<>();
      int total = 0;
      try (RecordingFile recording = new RecordingFile(file)) {
        while (recording.hasMoreEvents()) {
          RecordedEvent event = recording.readEvent();
          if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
            continue;
          }
          total++;
          String thread =
              event.getThread("sampledThread") == null
                  ? "?"
                  : event.getThread("sampledThread").getJavaName();
          threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
          RecordedStackTrace stack = event.getStackTrace();
          List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
          topFrames.merge(frames.isEmpty() ? "?" : name(frames.get(0)), 1, Integer::sum);
          String envmon = "(no envmon frame: library or JDK threads)";
          for (RecordedFrame frame : frames) {
            if (frame.getMethod() != null
                && frame.getMethod().getType().getName().startsWith("io.envmon.")) {
              envmon = name(frame);
              break;
            }
          }
          envmonFrames.merge(envmon, 1, Integer::sum);
        }
      }
      out.append("=== %s: %,d execution samples%n".formatted(file, total));
      print(out, "threads", threads, total);
      print(out, "top frames (self)", topFrames, total);
      print(out, "innermost envmon frame (inclusive)", envmonFrames, total);
    }
    return out.toString();
  }

  private static String name(RecordedFrame frame) {
    RecordedMethod method = frame.getMethod();
    return method == null ? "?" : method.getType().getName() + "." + method.getName();
  }

  private static void print(
      StringBuilder out, String title, Map<String, Integer> counts, int total) {
    out.append("  ").append(title).append(":\n");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(TOP)
        .forEach(
            e ->
                out.append(
                    "    %5.1f %%  %6d  %s%n"
                        .formatted(
                            100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey())));
  }
}
