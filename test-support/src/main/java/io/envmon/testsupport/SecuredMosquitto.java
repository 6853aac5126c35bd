package io.envmon.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of a test's own (Debian's binary, a free port on loopback) that refuses anonymous
 * clients and checks logins, publications and subscriptions with its dynamic-security plugin
 * (docs/gateway.md "Mosquitto logins and ACL") — for tests of broker logins, which the shared
 * (anonymous) test broker cannot show. Its log is {@code mosquitto.log} in the given directory.
 */
public final class SecuredMosquitto implements AutoCloseable {

  private final Process process;
  private final String url;

  private SecuredMosquitto(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Starts it with the dynamic-security plugin configured by {@code dynamicSecurityConfig} (as
   * io.envmon.gateway.auth.MosquittoAuthFiles writes it) and waits (up to 20 s) until it listens.
   */
  public static SecuredMosquitto start(Path directory, Path dynamicSecurityConfig)
      throws IOException, InterruptedException {
    Path plugin = dynamicSecurityPlugin();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path config = directory.resolve("mosquitto.conf");
    Path log = directory.resolve("mosquitto.log");
    // As root Mosquitto would switch to the mosquitto user, who cannot read the temporary files.
    boolean root = "root".equals(System.getProperty("user.name"));
    Files.writeString(
        config,
        (root ? "user root\n" : "")
            + "per_listener_settings false\n"
            + "listener "
            + port
            + " 127.0.0.1\n"
            + "allow_anonymous false\n"
            + "plugin "
            + plugin
            + "\nplugin_opt_config_file "
            + dynamicSecurityConfig
            + "\npersistence false\nlog_dest stderr\nlog_type all\n",
        UTF_8);
    Process process =
        new ProcessBuilder(binary(), "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    SecuredMosquitto mosquitto = new SecuredMosquitto(process, "tcp://127.0.0.1:" + port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mosquitto exited: " + Files.readString(log));
      }
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return mosquitto;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          mosquitto.close();
          throw new IllegalStateException("mosquitto did not listen on " + port + " in 20 s");
        }
        Thread.sleep(100);
      }
    }
  }

  /** {@code tcp://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Mosquitto's dynamic-security plugin: {@code ENVMON_MOSQUITTO_DYNSEC_PLUGIN}, else where Debian
   * and Ubuntu's {@code mosquitto} package puts it ({@code /usr/lib/<multiarch>/}), else {@code
   * /usr/lib} or {@code /usr/local/lib}.
   */
  public static Path dynamicSecurityPlugin() throws IOException {
    String given = System.getenv("ENVMON_MOSQUITTO_DYNSEC_PLUGIN");
    if (given != null && !given.isEmpty()) {
      if (!Files.isReadable(Path.of(given))) {
        throw new IllegalStateException(
            "ENVMON_MOSQUITTO_DYNSEC_PLUGIN=" + given + " is not readable");
      }
      return Path.of(given);
    }
    String name = "mosquitto_dynamic_security.so";
    List<Path> candidates = new java.util.ArrayList<>();
    try (var multiarch = Files.newDirectoryStream(Path.of("/usr/lib"), "*-linux-gnu*")) {
      multiarch.forEach(directory -> candidates.add(directory.resolve(name)));
    }
    candidates.add(Path.of("/usr/lib", name));
    candidates.add(Path.of("/usr/local/lib", name));
    return candidates.stream()
        .filter(Files::isReadable)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    name
                        + " (Mosquitto's dynamic-security plugin, in Debian's mosquitto package) is"
                        + " not in "
                        + candidates
                        + "; set ENVMON_MOSQUITTO_DYNSEC_PLUGIN to its path"));
  }

  private static String binary() {
    for (String candidate : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return "mosquitto";
  }
}
