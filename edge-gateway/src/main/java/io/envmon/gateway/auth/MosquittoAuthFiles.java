package io.envmon.gateway.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.envmon.domain.wire.MqttTopics;
import io.envmon.gateway.DeviceCredentials;
import java.io.IOException;
import java.io.StringWriter;
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
 * Writes the configuration file of Mosquitto 2's dynamic-security plugin ({@code
 * plugin_opt_config_file}) from the gateways' device credentials files and the service accounts.
 * The plugin denies what no role grants, SUBSCRIBE included (docs/gateway.md "Mosquitto logins and
 * ACL"):
 *
 * <ul>
 *   <li>a device (user name = device id, password = its {@code mqtt.password}) may publish to
 *       {@code envmon/v1/{city}/{point}/up} and subscribe to (and receive) {@code
 *       envmon/v1/{city}/{point}/rejected} of each of its points, nothing else;
 *   <li>a city's gateway account may subscribe only to {@code $share/<any
 *       group>/envmon/v1/{city}/+/up} (the MQTT 5 shared subscription of that city's stations),
 *       receive those topics and publish {@code envmon/v1/{city}/+/rejected};
 *   <li>the API account publishes {@code envmon/v1/+/alerts};
 *   <li>a city's alerts reader subscribes to (and receives) {@code envmon/v1/{city}/alerts}.
 * </ul>
 *
 * <p>Every login gets one role of its own; none may administer the plugin, so the file is only ever
 * regenerated from its sources. Passwords are hashed as {@code mosquitto_ctrl dynsec init} hashes
 * them.
 */
public final class MosquittoAuthFiles {

  /** The file {@link #write} writes: the plugin's {@code plugin_opt_config_file}. */
  public static final String CONFIG_FILE = "dynamic-security.json";

  /** Mosquitto 2.0's default PBKDF2 iteration count (the plugin's and mosquitto_passwd's). */
  public static final int ITERATIONS = 101;

  private static final int SALT_BYTES = 12;
  private static final int HASH_BYTES = 64;
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final JsonFactory JSON = new JsonFactory();

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

  /**
   * One grant of the plugin ({@code acltype} and topic): {@code publishClientSend} (the login may
   * publish to topics matching it), {@code publishClientReceive} (the broker may deliver matching
   * topics to it), {@code subscribeLiteral} (it may subscribe to exactly this filter) or {@code
   * subscribePattern} (to filters this pattern covers; {@code $share/<group>/} is part of what is
   * checked).
   */
  public record Rule(String aclType, String topic) {
    private static final List<String> TYPES =
        List.of(
            "publishClientSend", "publishClientReceive", "subscribeLiteral", "subscribePattern");

    public Rule {
      if (!TYPES.contains(aclType)) {
        throw new IllegalArgumentException("acltype '" + aclType + "' is not one of " + TYPES);
      }
      if (topic.isBlank() || topic.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("ACL topic '" + topic + "'");
      }
    }

    public static Rule publish(String topic) {
      return new Rule("publishClientSend", topic);
    }

    public static Rule receive(String topic) {
      return new Rule("publishClientReceive", topic);
    }

    /** May subscribe to exactly {@code filter}. */
    public static Rule subscribeLiteral(String filter) {
      return new Rule("subscribeLiteral", filter);
    }

    /** May subscribe to any filter {@code pattern} covers. */
    public static Rule subscribePattern(String pattern) {
      return new Rule("subscribePattern", pattern);
    }
  }

  /** A password as the plugin stores it: Base64 PBKDF2 hash and salt, and the iterations. */
  public record PasswordHash(String hash, String salt, int iterations) {}

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
        String rejected = MqttTopics.rejected(cityId, pointId);
        rules.add(Rule.publish(MqttTopics.up(cityId, pointId)));
        rules.add(Rule.subscribeLiteral(rejected));
        rules.add(Rule.receive(rejected));
      }
      add(new Account(device.deviceId(), device.mqttPassword(), rules));
      added++;
    }
    return added;
  }

  /** The account of the gateways of {@code cityId} (they share it). */
  public static Account gateway(String cityId, String user, String password) {
    requireSlug(cityId, "city id");
    String up = MqttTopics.up(cityId, "+");
    return new Account(
        user,
        password,
        List.of(
            // The broker checks a shared subscription with its $share/<group>/ prefix, so this
            // grants the city's stations in any group (the group name stays secret as defence in
            // depth) and neither a plain subscription nor another city's.
            Rule.subscribePattern("$share/+/" + up),
            Rule.receive(up),
            Rule.publish(MqttTopics.rejected(cityId, "+"))));
  }

  /** The API's account: it publishes alerts of every city. */
  public static Account api(String user, String password) {
    return new Account(user, password, List.of(Rule.publish(MqttTopics.ALL_ALERTS)));
  }

  /** A reader of the alerts of {@code cityId}. */
  public static Account alertsReader(String cityId, String user, String password) {
    requireSlug(cityId, "city id");
    String alerts = MqttTopics.alerts(cityId);
    return new Account(
        user, password, List.of(Rule.subscribeLiteral(alerts), Rule.receive(alerts)));
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

  /**
   * The plugin's configuration: {@code defaultACLAccess} denies publishing, receiving and
   * subscribing (unsubscribing stays allowed, as it grants nothing), one client and one role per
   * account, no groups.
   */
  public String dynamicSecurityConfig() {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(text).useDefaultPrettyPrinter()) {
      json.writeStartObject();
      json.writeObjectFieldStart("defaultACLAccess");
      json.writeBooleanField("publishClientSend", false);
      json.writeBooleanField("publishClientReceive", false);
      json.writeBooleanField("subscribe", false);
      json.writeBooleanField("unsubscribe", true);
      json.writeEndObject();
      json.writeArrayFieldStart("clients");
      for (Account account : accounts.values()) {
        PasswordHash password = hash(account.password());
        json.writeStartObject();
        json.writeStringField("username", account.user());
        json.writeStringField("textdescription", "generated by MosquittoAuthFiles");
        json.writeStringField("password", password.hash());
        json.writeStringField("salt", password.salt());
        json.writeNumberField("iterations", password.iterations());
        json.writeArrayFieldStart("roles");
        json.writeStartObject();
        json.writeStringField("rolename", account.user());
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayFieldStart("groups");
      json.writeEndArray();
      json.writeArrayFieldStart("roles");
      for (Account account : accounts.values()) {
        json.writeStartObject();
        json.writeStringField("rolename", account.user());
        json.writeArrayFieldStart("acls");
        for (Rule rule : account.rules()) {
          json.writeStartObject();
          json.writeStringField("acltype", rule.aclType());
          json.writeStringField("topic", rule.topic());
          json.writeBooleanField("allow", true);
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text + "\n";
  }

  /**
   * Writes {@link #CONFIG_FILE} (mode 600: it holds the password hashes) into {@code directory}.
   */
  public void write(Path directory) {
    try {
      Files.createDirectories(directory);
      writeAtomically(directory.resolve(CONFIG_FILE), dynamicSecurityConfig(), "rw-------");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Mosquitto auth file in " + directory, e);
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

  /** {@code password} hashed with a new random salt and {@link #ITERATIONS}. */
  public PasswordHash hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    return hash(password, salt, ITERATIONS);
  }

  /** The hash for a given salt and iteration count (to check one written by Mosquitto's tools). */
  public static PasswordHash hash(String password, byte[] salt, int iterations) {
    Base64.Encoder base64 = Base64.getEncoder();
    return new PasswordHash(
        base64.encodeToString(pbkdf2(password, salt, iterations)),
        base64.encodeToString(salt),
        iterations);
  }

  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    // SunJCE's PBKDF2 turns the characters into UTF-8 bytes, as Mosquitto's tools take them.
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
      Writes DIR/dynamic-security.json, the configuration of Mosquitto 2's dynamic-security
      plugin (docs/gateway.md "Mosquitto logins and ACL").
      A PASSWORD of the form env:NAME is read from the environment variable NAME.
      """;

  /** Exit codes: 0 written, 2 bad arguments or input (named on stderr). */
  public static void main(String[] args) {
    try {
      Path out = run(args);
      System.out.println("wrote " + out.resolve(CONFIG_FILE));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      System.err.println("MosquittoAuthFiles: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
    }
  }

  /** Parses {@code args}, writes the file and returns the output directory. */
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
