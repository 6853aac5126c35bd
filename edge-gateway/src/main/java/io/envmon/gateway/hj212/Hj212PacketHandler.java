package io.envmon.gateway.hj212;

import io.envmon.domain.DecodeException;
import io.envmon.domain.hj212.DataCommand;
import io.envmon.domain.hj212.FactorError;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212DecodeResult;
import io.envmon.domain.hj212.Hj212Deviation;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212Read;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.hj212.Hj212Sm4;
import io.envmon.domain.reading.Source;
import io.envmon.domain.validation.Refusal;
import io.envmon.domain.validation.RefusalReason;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import io.envmon.gateway.spool.SpoolException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway does with one framed HJ 212 packet of any version (HJ/T 212-2005, HJ 212-2017,
 * HJ 212-2025, told by Flag bits 2–7), and the reply it writes, if any (docs/gateway.md "HJ 212
 * over TCP"):
 *
 * <ul>
 *   <li>an SM4-encrypted data area ({@code CP=&&{0x..}}) is decrypted with the station's key, or
 *       its previous key when the current one does not give a good CRC;
 *   <li>CRC and syntax, read permissively; once the MN is known, a deviation from HJ 212 the
 *       station does not tolerate ({@code hj212.tolerate}) is refused as malformed, a tolerated one
 *       is counted for the station; then MN and PW; refused packets get no reply;
 *   <li>a plaintext data packet from a station marked encrypted is refused, or taken and counted
 *       when the station's {@code hj212.plaintext=accept};
 *   <li>data uploads 2011/2051/2061/2031 become readings ({@code RF=1}: back-filled) and are
 *       answered 9014 after the spool append, when the Flag asks; a factor code envmon does not
 *       read is counted for the station and named in one WARN per station and code;
 *   <li>a 9015 heartbeat marks the station online and is answered 9013 when the Flag asks;
 *   <li>other uploads (CN 2000–2999, 3020) are answered 9014 when the Flag asks but not read;
 *       answers (9011–9014) and other commands get no reply. Every command is counted.
 * </ul>
 *
 * Replies are in the packet's own version (Flag 0, 4 or 8). Thread-safe: one instance serves every
 * connection.
 */
public final class Hj212PacketHandler {

  private static final Logger log = LoggerFactory.getLogger(Hj212PacketHandler.class);

  private final Intake intake;
  private final DeviceCredentials credentials;
  private final Clock clock;
  private final Map<String, LongAdder> commands = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
  private final LongAdder heartbeats = new LongAdder();
  private final LongAdder decrypted = new LongAdder();
  private final LongAdder decryptedWithPreviousKey = new LongAdder();
  private final LongAdder plaintextAccepted = new LongAdder();

  /**
   * The most distinct unknown factor codes counted per station; more are counted as {@code other},
   * so a station cannot grow the metrics without bound.
   */
  static final int MAX_UNKNOWN_CODES_PER_STATION = 32;

  /** The label of unknown factor codes past {@link #MAX_UNKNOWN_CODES_PER_STATION}. */
  static final String OTHER_CODES = "other";

  /** Per device id: the deviations taken from it, by setting name. */
  private final Map<String, Map<String, LongAdder>> tolerated = new ConcurrentHashMap<>();

  /** Per device id: the factor codes envmon does not read that it sent, by code. */
  private final Map<String, Map<String, LongAdder>> unknownFactors = new ConcurrentHashMap<>();

  public Hj212PacketHandler(Intake intake, DeviceCredentials credentials, Clock clock) {
    this.intake = Objects.requireNonNull(intake, "intake");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Handles one packet from {@code ##} to CR LF.
   *
   * @param peer the connection's remote address, for refusals before the station is known
   * @return the reply to write to the station, if any
   */
  public Optional<byte[]> handle(byte[] frame, String peer) {
    boolean encrypted = Hj212Sm4.isEncrypted(frame);
    Hj212Read read;
    try {
      if (encrypted) {
        Optional<Hj212Read> decryptedPacket = decrypt(frame, peer);
        if (decryptedPacket.isEmpty()) {
          return Optional.empty();
        }
        read = decryptedPacket.get();
      } else {
        read = Hj212Codec.read(frame, Hj212Codec.DEFAULT_STATION_ZONE);
      }
    } catch (DecodeException e) {
      intake.undecodable(Source.HJ212, peer, Refusal.malformed(e), frame);
      return Optional.empty();
    }
    Hj212Packet packet = read.packet();
    Optional<DeviceCredentials.Device> station = credentials.byHj212Mn(packet.mn());
    Optional<Hj212Read.Found> untolerated =
        read.untolerated(station.map(DeviceCredentials.Device::hj212Tolerated).orElse(Set.of()));
    if (untolerated.isPresent()) {
      // The refusal of a strict reader: the station (or an unknown MN) does not tolerate it.
      intake.undecodable(
          Source.HJ212,
          peer,
          new Refusal(
              RefusalReason.MALFORMED, untolerated.get().location(), untolerated.get().refusal()),
          frame);
      return Optional.empty();
    }
    if (station.isEmpty()) {
      intake.refuse(
          peer, new Refusal(RefusalReason.UNAUTHORISED, "MN", "unknown station MN " + packet.mn()));
      return Optional.empty();
    }
    if (!Objects.equals(station.get().hj212Pw(), packet.pw())) {
      intake.refuse(
          peer,
          new Refusal(RefusalReason.UNAUTHORISED, "PW", "wrong PW for station MN " + packet.mn()));
      return Optional.empty();
    }
    String deviceId = station.get().deviceId();
    for (Hj212Deviation deviation : read.kinds()) {
      tolerated
          .computeIfAbsent(deviceId, id -> new ConcurrentHashMap<>())
          .computeIfAbsent(deviation.setting(), key -> new LongAdder())
          .increment();
    }
    commands
        .computeIfAbsent(packet.version().year() + " " + packet.cn(), key -> new LongAdder())
        .increment();
    lastSeen.put(packet.mn(), clock.instant());
    String pointId = station.get().pointIds().get(0);
    DeviceCredentials.Sm4 sm4 = station.get().hj212Sm4();
    if (!encrypted && sm4 != null && mustBeEncrypted(packet, frame)) {
      if (!sm4.acceptPlaintext()) {
        intake.refuse(
            pointId,
            new Refusal(
                RefusalReason.UNAUTHORISED,
                "CP",
                "plaintext CN "
                    + packet.cn()
                    + " from station MN "
                    + packet.mn()
                    + ", which encrypts with SM4 (HJ 212-2025 §6.4); its hj212.plaintext=accept"
                    + " would take it"));
        return Optional.empty();
      }
      plaintextAccepted.increment();
      log.debug(
          "HJ 212: plaintext CN {} taken from encrypting station {}", packet.cn(), packet.mn());
    }
    String cn = packet.cn();
    if (cn.equals(Hj212Codec.CN_HEARTBEAT)) {
      heartbeats.increment();
      return packet.asksForReply()
          ? Optional.of(Hj212Codec.notificationResponse(packet))
          : Optional.empty();
    }
    if (DataCommand.byCn(cn).isPresent()) {
      return readings(packet, frame, station.get(), pointId);
    }
    if (isUpload(cn) && packet.asksForReply()) {
      return Optional.of(Hj212Codec.dataResponse(packet));
    }
    return Optional.empty();
  }

  /**
   * A data upload's readings to the intake; 9014 when the Flag asks and the station need not
   * resend.
   */
  private Optional<byte[]> readings(
      Hj212Packet packet, byte[] frame, DeviceCredentials.Device station, String pointId) {
    Intake.Payload payload =
        Intake.Payload.decode(
            frame, bytes -> decoded(Hj212ReadingMapper.toReadings(packet, pointId), station));
    Intake.Result result = intake.receive(station, pointId, Source.HJ212, payload);
    if (result instanceof Intake.Result.NotSpooled failed) {
      throw new SpoolException(
          "readings of station MN " + packet.mn() + " not spooled", failed.failure());
    }
    if (result instanceof Intake.Result.Undecodable) {
      return Optional.empty();
    }
    if (result instanceof Intake.Result.Validated validated
        && (validated.outcome().spoolFull() || validated.outcome().throttled())) {
      // No 9014: the station keeps the data and sends it again (throttled: later, as RF=1
      // history, which its back-fill allowance takes).
      return Optional.empty();
    }
    // Spooled, or refused (its point, its values): sending it again would not help.
    return packet.asksForReply() ? Optional.of(Hj212Codec.dataResponse(packet)) : Optional.empty();
  }

  /**
   * The readings of a data upload and its bad factors as refusals; a factor code envmon does not
   * read is counted for the station, not refused.
   */
  private Intake.Payload.Decoded decoded(
      Hj212DecodeResult decoded, DeviceCredentials.Device station) {
    List<Refusal> factorRefusals = new ArrayList<>();
    for (FactorError error : decoded.errors()) {
      if (error.isUnknownCode()) {
        countUnknownFactor(station, error.factorCode());
      } else {
        factorRefusals.add(asRefusal(error));
      }
    }
    return new Intake.Payload.Decoded(decoded.readings(), factorRefusals);
  }

  /**
   * Counts a factor code envmon does not read; the first time a station sends a code, one WARN
   * names it. Not a refusal: the station's data is as the standard allows, envmon just has no
   * parameter for it.
   */
  private void countUnknownFactor(DeviceCredentials.Device station, String code) {
    Map<String, LongAdder> codes =
        unknownFactors.computeIfAbsent(station.deviceId(), id -> new ConcurrentHashMap<>());
    String key =
        codes.containsKey(code) || codes.size() < MAX_UNKNOWN_CODES_PER_STATION
            ? code
            : OTHER_CODES;
    LongAdder count = codes.get(key);
    if (count == null) {
      LongAdder fresh = new LongAdder();
      count = codes.putIfAbsent(key, fresh);
      if (count == null) {
        count = fresh;
        log.warn(
            "HJ 212: station {} (MN {}) sends factor {}, which envmon does not read; its other"
                + " factors are taken. Counted in envmon_gateway_hj212_unknown_factors_total,"
                + " not logged again for this station and code",
            station.deviceId(),
            station.hj212Mn(),
            key.equals(OTHER_CODES)
                ? code + " and more (over " + MAX_UNKNOWN_CODES_PER_STATION + " unknown codes)"
                : code);
      }
    }
    count.increment();
  }

  /**
   * Decrypts with the station's key, then its previous key. Empty (refusal counted) when the
   * station is unknown or has no key.
   */
  private Optional<Hj212Read> decrypt(byte[] frame, String peer) throws DecodeException {
    String mn = Hj212Sm4.headerField(frame, "MN").orElse("");
    Optional<DeviceCredentials.Device> station = credentials.byHj212Mn(mn);
    if (station.isEmpty()) {
      intake.refuse(
          peer, new Refusal(RefusalReason.UNAUTHORISED, "MN", "unknown station MN " + mn));
      return Optional.empty();
    }
    DeviceCredentials.Sm4 sm4 = station.get().hj212Sm4();
    if (sm4 == null) {
      intake.refuse(
          peer,
          new Refusal(
              RefusalReason.UNAUTHORISED,
              "CP",
              "encrypted data from station MN " + mn + ", which has no hj212.sm4.key"));
      return Optional.empty();
    }
    try {
      Hj212Read read =
          Hj212Codec.read(Hj212Sm4.decrypt(frame, sm4.key()), Hj212Codec.DEFAULT_STATION_ZONE);
      decrypted.increment();
      return Optional.of(read);
    } catch (DecodeException current) {
      if (sm4.previousKey() == null) {
        throw undecryptable(current, "the station's key gives");
      }
      try {
        Hj212Read read =
            Hj212Codec.read(
                Hj212Sm4.decrypt(frame, sm4.previousKey()), Hj212Codec.DEFAULT_STATION_ZONE);
        decrypted.increment();
        decryptedWithPreviousKey.increment();
        return Optional.of(read);
      } catch (DecodeException previous) {
        throw undecryptable(current, "neither the station's key nor its previous key gives");
      }
    }
  }

  private static DecodeException undecryptable(DecodeException e, String which) {
    return new DecodeException(
        "SM4: " + which + " a valid packet (" + e.reason() + ")", e.location());
  }

  /**
   * HJ 212-2025 §6.4: data commands (CN 2000–2999), 1014 and 3020 are encrypted — when their data
   * area has a group of 16 characters to encrypt at all.
   */
  private static boolean mustBeEncrypted(Hj212Packet packet, byte[] frame) {
    String cn = packet.cn();
    boolean encryptedCommand = isDataCommand(cn) || cn.equals("1014") || cn.equals("3020");
    if (!encryptedCommand) {
      return false;
    }
    String text = new String(frame, StandardCharsets.ISO_8859_1);
    int cp = text.indexOf(";CP=&&");
    int dataLength = text.length() - 8 - (cp + 6);
    return cp >= 0 && dataLength >= 16;
  }

  private static boolean isDataCommand(String cn) {
    return cn.charAt(0) == '2';
  }

  /** Uploads answered 9014 when the Flag asks: data commands and the field-unit information. */
  private static boolean isUpload(String cn) {
    return isDataCommand(cn) || cn.equals("3020");
  }

  private static Refusal asRefusal(FactorError error) {
    return new Refusal(
        RefusalReason.MALFORMED, error.factorCode() + "-" + error.field(), error.reason());
  }

  /** Packets taken per version and command, e.g. {@code "2025 9015" → 3}, sorted. */
  public Map<String, Long> commandCounts() {
    Map<String, Long> counts = new TreeMap<>();
    commands.forEach((key, adder) -> counts.put(key, adder.sum()));
    return counts;
  }

  /**
   * Per device id, the deviations from HJ 212 taken from it (its {@code hj212.tolerate}), by
   * setting name, e.g. {@code "station-7" → {"crc-modbus" → 12}}; sorted.
   */
  public Map<String, Map<String, Long>> toleratedByDevice() {
    return snapshot(tolerated);
  }

  /**
   * Per device id, the factor codes envmon does not read that it sent, with how many packets
   * carried each; past {@value #MAX_UNKNOWN_CODES_PER_STATION} codes the rest are {@code other}.
   */
  public Map<String, Map<String, Long>> unknownFactorsByDevice() {
    return snapshot(unknownFactors);
  }

  private static Map<String, Map<String, Long>> snapshot(
      Map<String, Map<String, LongAdder>> counts) {
    Map<String, Map<String, Long>> snapshot = new TreeMap<>();
    counts.forEach(
        (device, byKey) -> {
          Map<String, Long> values = new TreeMap<>();
          byKey.forEach((key, adder) -> values.put(key, adder.sum()));
          snapshot.put(device, values);
        });
    return snapshot;
  }

  public long heartbeats() {
    return heartbeats.sum();
  }

  public long decrypted() {
    return decrypted.sum();
  }

  public long decryptedWithPreviousKey() {
    return decryptedWithPreviousKey.sum();
  }

  public long plaintextAccepted() {
    return plaintextAccepted.sum();
  }

  /** When each station (MN) last sent an authenticated packet, heartbeat or data. */
  public Map<String, Instant> lastSeen() {
    return Map.copyOf(lastSeen);
  }

  /** Stations heard from (any authenticated packet, heartbeats included) within {@code window}. */
  public int stationsOnline(Duration window) {
    Instant since = clock.instant().minus(window);
    return (int) lastSeen.values().stream().filter(t -> !t.isBefore(since)).count();
  }
}
