package io.envmon.domain.wire;

/**
 * The MQTT topic layout of the contract (docs/gateway.md): {@code envmon/v1/{city}/{point}/up}
 * where a station publishes, {@code …/rejected} where the gateway answers a refusal, and {@code
 * envmon/v1/{city}/alerts} where the API announces the city's alerts. Ids are slugs (no {@code /},
 * {@code +} or {@code #}); a {@code +} given as an id is the single-level wildcard.
 */
public final class MqttTopics {
  private static final String ROOT = "envmon/v1/";

  /** Every city's alerts, for the API's account. */
  public static final String ALL_ALERTS = alerts("+");

  /** Every refusal answer of every city. */
  public static final String ALL_REJECTED = rejected("+", "+");

  private MqttTopics() {}

  /** Where the station of {@code pointId} in {@code cityId} publishes its readings. */
  public static String up(String cityId, String pointId) {
    return ROOT + cityId + "/" + pointId + "/up";
  }

  /** Where the gateway answers a refusal of that station's readings. */
  public static String rejected(String cityId, String pointId) {
    return ROOT + cityId + "/" + pointId + "/rejected";
  }

  /** Where the alerts of {@code cityId} are announced. */
  public static String alerts(String cityId) {
    return ROOT + cityId + "/alerts";
  }

  /** The shared subscription of a city's gateways: every station of the city, one gateway each. */
  public static String sharedUp(String group, String cityId) {
    return "$share/" + group + "/" + up(cityId, "+");
  }

  /** The shared-subscription group of a city's gateways when none is configured. */
  public static String defaultSharedGroup(String cityId) {
    return "envmon-" + cityId;
  }
}
