package io.envmon.gateway.auth;

import io.envmon.gateway.DeviceCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Writes Mosquitto 2.x's {@code passwd} and {@code acl} files (docs/gateway.md "Mosquitto logins
 * and ACL") from the gateways' device credentials files and the service accounts:
 *
 * <ul>
 *   <li>a device (user name = device id, password = its {@code mqtt.password}) may publish to
 *       {@code envmon/v1/{city}/{point}/up} and read {@code envmon/v1/{city}/{point}/rejected} of
 *       each of its points, nothing else;
 *   <li>a city's gateway account reads {@code envmon/v1/{city}/+/up} (it subscribes through the
 *       MQTT 5 shared subscription {@code $share/envmon-{city}/...}) and writes {@code
 *       envmon/v1/{city}/+/rejected};
 *   <li>the API account writes {@code envmon/v1/+/alerts};
 *   <li>a city's alerts reader reads {@code envmon/v1/{city}/alerts}.
 * </ul>
 *
 * <p>Passwords are stored as Mosquitto 2's {@code $7$} entries: PBKDF2-HMAC-SHA512, 101 iterations,
 * a random 12-byte salt, a 64-byte hash, both Base64 — what {@code mosquitto_passwd} writes.
 */
public final class MosquittoAuthFiles {

  /** Mosquitto 2.0's default PBKDF2 iteration count (mosquitto_passwd's PW_DEFAULT_ITERATIONS). */
  public static final int ITERATIONS = 101;

  private static final int SALT_BYTES = 12;
  private static final int HASH_BYTES = 64;
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** One broker login and what it may do. */
  public record Account(String user, String password, List<Rule> rules) {
    public Account {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      rules = List.copyOf(rules);
      if (!USER.matcher(user).matches()) {
        throw new IllegalArgumentException(
            "broker user '" + user + "' is not 1-64 characters [A-Za-z0-9_.-]");
      }
      if (password.isEmpty() || password.chars().anyMatch(c -> c == '\n' || c == '\r')) {
        throw new IllegalArgumentException(
            "broker user '" + user + "' has an empty password or one with a line break");
      }
    }
  }

  /** One ACL line: {@code topic read|write|readwrite <filter>}. */
  public record Rule(String access, String topic) {
    public Rule {
      if (!List.of("read", "write", "readwrite").contains(access)) {
        throw new IllegalArgumentException("ACL access '" + access + "'");
      }
      if (topic.isBlank() || topic.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("ACL topic '" + topic + "'");
      }
    }

    String line() {
      return "topic " + access + " " + topic;
    }
  }

  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final SecureRandom random = new SecureRandom();

  /** Adds an account; a user name given twice is an error. */
  public MosquittoAuthFiles add(Account account) {
    if (accounts.putIfAbsent(account.user(), account) != null) {
      throw new IllegalArgumentException("broker user '" + account.user() + "' is given twice");
    }
    return this;
  }

  /**
   * Adds every device of {@code credentials} that has an {@code mqtt.password}, for city {@code
   * cityId}; returns how many.
   */
  public int addDevices(String cityId, DeviceCredentials credentials) {
    requireSlug(cityId, "city id");
    int added = 0;
    for (DeviceCredentials.Device device :
        credentials.all().stream()
            .sorted(java.util.Comparator.comparing(DeviceCredentials.Device::deviceId))
            .toList()) {
      if (device.mqttPassword() == null) {
        continue;
      }
      if (device.pointIds().isEmpty()) {
        throw new IllegalArgumentException(
            "device " + device.deviceId() + " has an mqtt.password but no points");
      }
      List<Rule> rules = new ArrayList<>();
      for (String pointId : device.pointIds()) {
        requireSlug(pointId, "point id of device " + device.deviceId());
        rules.add(new Rule("write", topic(cityId, pointId, "up")));
        rules.add(new Rule("read", topic(cityId, pointId, "rejected")));
      }
      add(new Account(device.deviceId(), device.mqttPassword(), rules));
      added++;
    }
    return added;
  }

  /** The account of the gateways of {@code cityId} (they share it). */
  public static Account gateway(String cityId, String user, String password) {
    requireSlug(cityId, "city id");
    String up = topic(cityId, "+", "up");
    return new Account(
        user,
        password,
        // Mosquitto 2.0's acl_file grants every SUBSCRIBE ($share/... included) and checks "read"
        // against each message's topic at delivery, so this one rule covers the shared
        // subscription $share/envmon-{city}/envmon/v1/{city}/+/up.
        List.of(new Rule("read", up), new Rule("write", topic(cityId, "+", "rejected"))));
  }

  /** The API's account: it publishes alerts of every city. */
  public static Account api(String user, String password) {
    return new Account(user, password, List.of(new Rule("write", "envmon/v1/+/alerts")));
  }

  /** A reader of the alerts of {@code cityId}. */
  public static Account alertsReader(String cityId, String user, String password) {
    requireSlug(cityId, "city id");
    return new Account(
        user, password, List.of(new Rule("read", "envmon/v1/" + cityId + "/alerts")));
  }

  private static String topic(String cityId, String pointId, String leaf) {
    return "envmon/v1/" + cityId + "/" + pointId + "/" + leaf;
  }

  private static void requireSlug(String value, String what) {
    if (!SLUG.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " '" + value + "' is not a slug [a-z0-9-]; it cannot be a topic level");
    }
  }

  public List<Account> accounts() {
    return List.copyOf(accounts.values());
  }

  /** The password file's text: one {@code user:$7$...} line per account. */
  public String passwordFile() {
    StringBuilder text = new StringBuilder();
    for (Account account : accounts.values()) {
      text.append(account.user()).append(':').append(hash(account.password())).append('\n');
    }
    return text.toString();
  }

  /** The ACL file's text. */
  public String aclFile() {
    StringBuilder text =
        new StringBuilder(
            "# Generated by io.envmon.gateway.auth.MosquittoAuthFiles; edits are lost.\n"
                + "# Anonymous clients (none are allowed to connect) may do nothing.\n");
    for (Account account : accounts.values()) {
      text.append('\n').append("user ").append(account.user()).append('\n');
      for (Rule rule : account.rules()) {
        text.append(rule.line()).append('\n');
      }
    }
    return text.toString();
  }

  /** Writes {@code passwd} (mode 600) and {@code acl} (mode 644) into {@code directory}. */
  public void write(Path directory) {
    try {
      Files.createDirectories(directory);
      writeAtomically(directory.resolve("passwd"), passwordFile(), "rw-------");
      writeAtomically(directory.resolve("acl"), aclFile(), "rw-r--r--");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Mosquitto auth files in " + directory, e);
    }
  }

  private static void writeAtomically(Path file, String text, String permissions)
      throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException notPosix) {
      // keep the default permissions
    }
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** A Mosquitto 2 password entry (without the user): {@code $7$101$<salt>$<hash>}. */
  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return hash(password, salt, ITERATIONS);
  }

  /** The entry for a given salt and iteration count (to check an entry written by Mosquitto). */
  public static String hash(String password, byte[] salt, int iterations) {
    Base64.Encoder base64 = Base64.getEncoder();
    return "$7$"
        + iterations
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(pbkdf2(password, salt, iterations));
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    // SunJCE's PBKDF2 turns the characters into UTF-8 bytes, as mosquitto_passwd takes them.
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static final String USAGE =
      """
      Usage: MosquittoAuthFiles --out DIR [--devices CITY=CREDENTIALS_FILE]...
                                [--gateway CITY=USER:PASSWORD]... [--api USER:PASSWORD]
                                [--alerts-reader CITY=USER:PASSWORD]...
      Writes DIR/passwd and DIR/acl for Mosquitto 2 (docs/gateway.md "Mosquitto logins and ACL").
      A PASSWORD of the form env:NAME is read from the environment variable NAME.
      """;

  /** Exit codes: 0 written, 2 bad arguments or input (named on stderr). */
  public static void main(String[] args) {
    try {
      Path out = run(args);
      System.out.println("wrote " + out.resolve("passwd") + " and " + out.resolve("acl"));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("MosquittoAuthFiles: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
    }
  }

  /** Parses {@code args}, writes the files and returns the output directory. */
  public static Path run(String[] args) {
    MosquittoAuthFiles files = new MosquittoAuthFiles();
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--out" -> out = Path.of(value);
        case "--devices" -> {
          String[] cityAndFile = split(value, '=', option);
          int added =
              files.addDevices(cityAndFile[0], DeviceCredentials.load(Path.of(cityAndFile[1])));
          System.out.println(
              "city " + cityAndFile[0] + ": " + added + " devices with an mqtt.password");
        }
        case "--gateway" -> {
          String[] cityAndLogin = split(value, '=', option);
          String[] login = split(cityAndLogin[1], ':', option);
          files.add(gateway(cityAndLogin[0], login[0], password(login[1])));
        }
        case "--api" -> {
          String[] login = split(value, ':', option);
          files.add(api(login[0], password(login[1])));
        }
        case "--alerts-reader" -> {
          String[] cityAndLogin = split(value, '=', option);
          String[] login = split(cityAndLogin[1], ':', option);
          files.add(alertsReader(cityAndLogin[0], login[0], password(login[1])));
        }
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out DIR is required");
    }
    if (files.accounts.isEmpty()) {
      throw new IllegalArgumentException("no account to write");
    }
    files.write(out);
    return out;
  }

  private static String[] split(String value, char separator, String option) {
    int at = value.indexOf(separator);
    if (at <= 0 || at == value.length() - 1) {
      throw new IllegalArgumentException(
          option + " '" + value + "' is not of the form A" + separator + "B");
    }
    return new String[] {value.substring(0, at), value.substring(at + 1)};
  }

  private static String password(String given) {
    if (!given.startsWith("env:")) {
      return given;
    }
    String name = given.substring(4);
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return value;
  }
}
