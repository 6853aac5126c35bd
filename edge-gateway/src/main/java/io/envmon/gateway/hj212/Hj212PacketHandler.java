package io.envmon.gateway.hj212;

import io.envmon.domain.DecodeException;
import io.envmon.domain.hj212.DataCommand;
import io.envmon.domain.hj212.FactorError;
import io.envmon.domain.hj212.Hj212Codec;
import io.envmon.domain.hj212.Hj212DecodeResult;
import io.envmon.domain.hj212.Hj212Packet;
import io.envmon.domain.hj212.Hj212ReadingMapper;
import io.envmon.domain.hj212.Hj212Sm4;
import io.envmon.domain.reading.Source;
import io.envmon.gateway.DeviceCredentials;
import io.envmon.gateway.Intake;
import io.envmon.gateway.validation.Refusal;
import io.envmon.gateway.validation.RefusalReason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 *   <li>CRC and syntax, then MN and PW; refused packets get no reply;
 *   <li>a plaintext data packet from a station marked encrypted is refused, or taken and counted
 *       when the station's {@code hj212.plaintext=accept};
 *   <li>data uploads 2011/2051/2061/2031 become readings ({@code RF=1}: back-filled) and are
 *       answered 9014 after the spool append, when the Flag asks;
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
    Hj212Packet packet;
    try {
      if (encrypted) {
        Optional<Hj212Packet> decryptedPacket = decrypt(frame, peer);
        if (decryptedPacket.isEmpty()) {
          return Optional.empty();
        }
        packet = decryptedPacket.get();
      } else {
        packet = Hj212Codec.decodeFrame(frame);
      }
    } catch (DecodeException e) {
      intake.undecodable(
          Source.HJ212,
          peer,
          new Refusal(RefusalReason.MALFORMED, e.location(), e.reason()),
          frame);
      return Optional.empty();
    }
    Optional<DeviceCredentials.Device> station = credentials.byHj212Mn(packet.mn());
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
      return readings(packet, pointId);
    }
    if (isUpload(cn) && packet.asksForReply()) {
      return Optional.of(Hj212Codec.dataResponse(packet));
    }
    return Optional.empty();
  }

  private Optional<byte[]> readings(Hj212Packet packet, String pointId) {
    Hj212DecodeResult decoded;
    try {
      decoded = Hj212ReadingMapper.toReadings(packet, pointId);
    } catch (DecodeException e) {
      intake.refuse(pointId, new Refusal(RefusalReason.MALFORMED, e.location(), e.reason()));
      return Optional.empty();
    }
    var factorRefusals = decoded.errors().stream().map(Hj212PacketHandler::asRefusal).toList();
    Intake.Outcome outcome = intake.accept(pointId, decoded.readings(), factorRefusals);
    if (outcome.spoolFull()) {
      return Optional.empty(); // no 9014: the station keeps the data and sends it again
    }
    return packet.asksForReply() ? Optional.of(Hj212Codec.dataResponse(packet)) : Optional.empty();
  }

  /**
   * Decrypts with the station's key, then its previous key. Empty (refusal counted) when the
   * station is unknown or has no key.
   */
  private Optional<Hj212Packet> decrypt(byte[] frame, String peer) throws DecodeException {
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
      Hj212Packet packet = Hj212Codec.decodeFrame(Hj212Sm4.decrypt(frame, sm4.key()));
      decrypted.increment();
      return Optional.of(packet);
    } catch (DecodeException current) {
      if (sm4.previousKey() == null) {
        throw undecryptable(current, "the station's key gives");
      }
      try {
        Hj212Packet packet = Hj212Codec.decodeFrame(Hj212Sm4.decrypt(frame, sm4.previousKey()));
        decrypted.increment();
        decryptedWithPreviousKey.increment();
        return Optional.of(packet);
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
