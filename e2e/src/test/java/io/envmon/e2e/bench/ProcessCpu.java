package io.envmon.e2e.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process and its descendants from the kernel's accounting: {@code utime + stime} of
 * {@code /proc/<pid>/stat} (every thread of the process, including exited ones' time already added
 * to it), in clock ticks turned into microseconds. Descendants count because a server may run under
 * a wrapper (a shell or {@code setsid}) that started it.
 */
final class ProcessCpu {

  /** USER_HZ; the kernel's ABI fixes it at 100 on Linux (getconf CLK_TCK). */
  static final long TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** Microseconds of CPU used by {@code pid} and its descendants so far; -1 when it is gone. */
  static long micros(long pid) {
    Map<Long, List<Long>> children = children();
    long ticks = 0;
    List<Long> todo = new ArrayList<>(List.of(pid));
    boolean found = false;
    while (!todo.isEmpty()) {
      long p = todo.remove(todo.size() - 1);
      long t = ticks(p);
      if (t >= 0) {
        found = true;
        ticks += t;
      }
      todo.addAll(children.getOrDefault(p, List.of()));
    }
    return found ? ticks * 1_000_000 / TICKS_PER_SECOND : -1;
  }

  /**
   * CPU ticks so far of each JIT compiler thread ({@code C1 CompilerThread…}, {@code C2
   * CompilerThread…}) of {@code pid} and its descendants, by thread id. HotSpot starts and stops
   * compiler threads as it needs them, so a caller compares two of these maps thread by thread
   * ({@link #jitMicrosBetween}); a thread that ended between them loses its last interval.
   */
  static Map<Long, Long> jitThreadTicks(long pid) {
    Map<Long, List<Long>> children = children();
    Map<Long, Long> ticks = new HashMap<>();
    List<Long> todo = new ArrayList<>(List.of(pid));
    while (!todo.isEmpty()) {
      long p = todo.remove(todo.size() - 1);
      try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p), "task"))) {
        tasks.forEach(
            task -> {
              try {
                String comm = Files.readString(task.resolve("comm")).trim();
                if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                  String line = Files.readString(task.resolve("stat"));
                  String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
                  ticks.put(
                      Long.parseLong(task.getFileName().toString()),
                      Long.parseLong(f[11]) + Long.parseLong(f[12]));
                }
              } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile
              }
            });
      } catch (IOException | RuntimeException e) {
        // the process ended meanwhile
      }
      todo.addAll(children.getOrDefault(p, List.of()));
    }
    return ticks;
  }

  /** Microseconds the JIT threads of {@code after} used since {@code before}. */
  static long jitMicrosBetween(Map<Long, Long> before, Map<Long, Long> after) {
    long ticks = 0;
    for (Map.Entry<Long, Long> thread : after.entrySet()) {
      ticks += Math.max(0, thread.getValue() - before.getOrDefault(thread.getKey(), 0L));
    }
    return ticks * 1_000_000 / TICKS_PER_SECOND;
  }

  private static long ticks(long pid) {
    String[] fields = stat(pid);
    // after "pid (comm) ": state ppid ... utime is field 14, stime field 15 (1-based, proc(5))
    return fields == null ? -1 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** The fields of /proc/pid/stat after the command name, or null. */
  private static String[] stat(long pid) {
    try {
      String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Map<Long, List<Long>> children() {
    Map<Long, List<Long>> children = new HashMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      entries
          .map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .forEach(
              name -> {
                long pid = Long.parseLong(name);
                String[] fields = stat(pid);
                if (fields != null) {
                  children
                      .computeIfAbsent(Long.parseLong(fields[1]), k -> new ArrayList<>())
                      .add(pid);
                }
              });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list /proc", e);
    }
    return children;
  }

  /** The load averages of /proc/loadavg (1, 5, 15 minutes). */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
