package io.envmon.e2e.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * library it called). Usage: {@code JfrProfile FILE.jfr...}; prints the top 12 of each.
 */
public final class JfrProfile {

  private static final int TOP = 12;

  private JfrProfile() {}

  public static void main(String[] args) throws IOException {
    for (String file : args) {
      Map<String, Integer> threads = new HashMap<>();
      Map<String, Integer> topFrames = new HashMap<>();
      Map<String, Integer> envmonFrames = new HashMap<>();
      int total = 0;
      for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(file))) {
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
      System.out.printf("=== %s: %,d execution samples%n", file, total);
      print("threads", threads, total);
      print("top frames (self)", topFrames, total);
      print("innermost envmon frame (inclusive)", envmonFrames, total);
    }
  }

  private static String name(RecordedFrame frame) {
    RecordedMethod method = frame.getMethod();
    return method == null ? "?" : method.getType().getName() + "." + method.getName();
  }

  private static void print(String title, Map<String, Integer> counts, int total) {
    System.out.println("  " + title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(TOP)
        .forEach(
            e ->
                System.out.printf(
                    "    %5.1f %%  %6d  %s%n",
                    100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey()));
  }
}
