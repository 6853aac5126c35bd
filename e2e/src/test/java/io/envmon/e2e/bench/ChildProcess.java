package io.envmon.e2e.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A JVM the benchmark starts (API, gateway, jobs, generator, subscriber): its stdout read line by
 * line (the latest {@code status} line kept, the others collected), its stderr into a log file, its
 * stdin open for commands.
 */
final class ChildProcess implements AutoCloseable {

  final String name;
  final Process process;
  private final Writer stdin;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private volatile String[] status;

  ChildProcess(String name, List<String> command, Path log) throws IOException {
    this(name, command, Map.of(), log);
  }

  /** A process with {@code environment} added to the coordinator's. */
  ChildProcess(String name, List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    this.name = name;
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = builder.start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                  if (line.startsWith("status ")) {
                    status = line.split(" ");
                  } else {
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "bench-read-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static List<String> java(String heap, String logback, List<String> jvmOptions, String main) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-Dlogback.configurationFile=" + logback);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    return command;
  }

  long pid() {
    return process.pid();
  }

  /** Field {@code i} (1 = epoch ms) of the latest status line as a number; 0 before the first. */
  long status(int i) {
    String[] s = status;
    return s == null ? 0 : Long.parseLong(s[i]);
  }

  void send(String command) throws IOException {
    stdin.write(command + "\n");
    stdin.flush();
  }

  void closeInput() throws IOException {
    stdin.close();
  }

  /** Waits for a stdout line matching {@code wanted}; fails when the process ends or time is up. */
  String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (lines) {
        for (String line : lines) {
          if (wanted.test(line)) {
            return line;
          }
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue());
      }
      Thread.sleep(100); // polling another process's output in a benchmark tool
    }
    throw new IllegalStateException(name + " did not answer within " + timeout);
  }

  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
