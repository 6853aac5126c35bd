package io.envmon.domain.hj212;

import io.envmon.domain.DecodeException;
import io.envmon.domain.Quote;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes HJ 212 packets of HJ/T 212-2005, HJ 212-2017 and HJ 212-2025 (the version is in
 * Flag bits 2–7): {@code ##} + 4-digit data length + data segment + CRC (4 hex digits) + CR LF
 * (docs/standards.md §7). An SM4-encrypted HJ 212-2025 packet is decrypted first with {@link
 * Hj212Sm4}. Every problem with a packet is a {@link DecodeException} naming the field and the byte
 * offset in the packet.
 */
public final class Hj212Codec {

  /** HJ 212 times are the station's local time; envmon's stations are in China Standard Time. */
  public static final ZoneId DEFAULT_STATION_ZONE = ZoneId.of("Asia/Shanghai");

  /** The largest data length four decimal digits can declare. */
  public static final int MAX_DATA_LENGTH = 9999;

  /** {@code ##} and the 4-digit data length. */
  static final int HEADER_LENGTH = 6;

  /** The CRC and CR LF. */
  static final int TRAILER_LENGTH = 6;

  /** System code 91, system interaction (HJ 212-2017). */
  public static final String ST_SYSTEM_INTERACTION = "91";

  /** Command 9014, data response (HJ 212-2017, HJ 212-2025). */
  public static final String CN_DATA_RESPONSE = "9014";

  /** Command 9013, notification response (HJ 212-2017, HJ 212-2025). */
  public static final String CN_NOTIFICATION_RESPONSE = "9013";

  /** Command 9015, heartbeat: the link is online (HJ 212-2025 table 12). */
  public static final String CN_HEARTBEAT = "9015";

  /** The only value of the optional {@code RF} field (HJ 212-2025 table 3): a re-sent packet. */
  static final String RF_RESENT = "1";

  private static final String CP_START = "CP=&&";
  private static final String CP_END = "&&";
  private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

  private Hj212Codec() {}

  /** HJ 212-2017 table 1 (data segment 0–1024 characters); HJ 212-2025 keeps it. */
  public static final int STANDARD_MAX_DATA_LENGTH = 1024;

  /** Decodes one whole packet whose times are China Standard Time, strictly. */
  public static Hj212Packet decodeFrame(byte[] frame) throws DecodeException {
    return decodeFrame(frame, DEFAULT_STATION_ZONE);
  }

  /**
   * Decodes one whole packet, from {@code ##} to CR LF, strictly: any {@link Hj212Deviation} is
   * refused.
   *
   * @param stationZone the time zone of the station's clock, for {@code DataTime}
   * @throws DecodeException naming what is wrong and the byte offset where
   */
  public static Hj212Packet decodeFrame(byte[] frame, ZoneId stationZone) throws DecodeException {
    return decodeFrame(frame, stationZone, Set.of());
  }

  /**
   * Decodes one whole packet, taking the deviations in {@code tolerated} and refusing the others
   * with the strict reader's reason.
   */
  public static Hj212Packet decodeFrame(
      byte[] frame, ZoneId stationZone, Set<Hj212Deviation> tolerated) throws DecodeException {
    Hj212Read read = read(frame, stationZone);
    Optional<Hj212Read.Found> refused = read.untolerated(tolerated);
    if (refused.isPresent()) {
      throw new DecodeException(refused.get().refusal(), refused.get().location());
    }
    return read.packet();
  }

  /**
   * Reads one whole packet permissively: every {@link Hj212Deviation} is read and reported beside
   * the packet, for the caller to judge once it knows the station; anything else wrong is a {@link
   * DecodeException}.
   */
  public static Hj212Read read(byte[] frame, ZoneId stationZone) throws DecodeException {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(stationZone, "stationZone");
    List<Hj212Read.Found> deviations = new ArrayList<>();
    try {
      Hj212Packet packet = decodeChecked(frame, stationZone, deviations);
      return new Hj212Read(packet, deviations);
    } catch (RuntimeException e) {
      // Safety net: no runtime exception may escape a decoder, whatever the bytes. The fuzz tests
      // fail if this is ever reached.
      throw new DecodeException(
          "internal decoder error: " + e.getClass().getSimpleName(), "offset 0", e);
    }
  }

  private static Hj212Packet decodeChecked(
      byte[] frame, ZoneId zone, List<Hj212Read.Found> deviations) throws DecodeException {
    int length = frame.length;
    if (length < 2 || frame[0] != '#' || frame[1] != '#') {
      throw new DecodeException("packet does not start with ##", "offset 0");
    }
    if (length < HEADER_LENGTH + TRAILER_LENGTH) {
      throw new DecodeException(
          "truncated packet: "
              + length
              + " bytes, a packet has at least "
              + (HEADER_LENGTH + TRAILER_LENGTH),
          "offset " + length);
    }
    int declaredLength = 0;
    for (int i = 2; i < HEADER_LENGTH; i++) {
      if (!isDigit(frame[i])) {
        throw new DecodeException(
            "data length " + Quote.text(ascii(frame, 2, 4)) + " is not 4 decimal digits",
            "offset 2");
      }
      declaredLength = declaredLength * 10 + (frame[i] - '0');
    }
    if (frame[length - 2] != '\r' || frame[length - 1] != '\n') {
      throw new DecodeException("packet does not end with CR LF", "offset " + (length - 2));
    }
    int dataLength = length - HEADER_LENGTH - TRAILER_LENGTH;
    if (declaredLength != dataLength) {
      throw new DecodeException(
          "data length mismatch: header says "
              + ascii(frame, 2, 4)
              + ", the data segment is "
              + dataLength
              + " bytes",
          "offset 2");
    }
    if (dataLength > STANDARD_MAX_DATA_LENGTH) {
      deviations.add(
          new Hj212Read.Found(
              Hj212Deviation.LONG_SEGMENT,
              "data segment of "
                  + dataLength
                  + " bytes exceeds HJ 212's "
                  + STANDARD_MAX_DATA_LENGTH,
              "offset 2"));
    }
    int crcOffset = HEADER_LENGTH + dataLength;
    String crcText = ascii(frame, crcOffset, 4);
    int packetCrc = 0;
    boolean lowerCase = false;
    for (int i = 0; i < 4; i++) {
      char c = crcText.charAt(i);
      int digit = Character.digit(c, 16);
      if (digit < 0 || c > 'f') {
        throw new DecodeException(
            "CRC " + Quote.text(crcText) + " is not 4 hex digits", "offset " + crcOffset);
      }
      lowerCase |= c >= 'a';
      packetCrc = packetCrc * 16 + digit;
    }
    if (lowerCase) {
      deviations.add(
          new Hj212Read.Found(
              Hj212Deviation.LOWERCASE_HEX,
              "CRC " + Quote.text(crcText) + " is not 4 upper-case hex digits",
              "offset " + crcOffset));
    }
    int expectedCrc = Hj212Crc.crc16(frame, HEADER_LENGTH, dataLength);
    if (expectedCrc != packetCrc) {
      String mismatch =
          "CRC mismatch: expected " + Hj212Crc.hex(expectedCrc) + ", packet says " + crcText;
      int modbus = Hj212Crc.modbus(frame, HEADER_LENGTH, dataLength);
      if (packetCrc == modbus) {
        deviations.add(
            new Hj212Read.Found(
                Hj212Deviation.CRC_MODBUS,
                mismatch + ", which is CRC-16/MODBUS",
                "offset " + crcOffset));
      } else if (packetCrc == Hj212Crc.swapBytes(modbus)) {
        deviations.add(
            new Hj212Read.Found(
                Hj212Deviation.CRC_SWAPPED,
                mismatch + ", which is CRC-16/MODBUS with its bytes swapped",
                "offset " + crcOffset));
      } else {
        throw new DecodeException(mismatch, "offset " + crcOffset);
      }
    }
    // The data segment is ASCII; ISO-8859-1 maps every byte to one char, so offsets stay exact.
    String segment = ascii(frame, HEADER_LENGTH, dataLength);
    return new SegmentParser(segment, HEADER_LENGTH, zone, deviations).parse();
  }

  /** Reads a data segment; {@code base} is the segment's offset in the packet, for locations. */
  private static final class SegmentParser {
    private final String segment;
    private final int base;
    private final ZoneId zone;
    private final Map<String, String> header = new HashMap<>();
    private final Map<String, Integer> headerOffsets = new HashMap<>();
    private final List<Hj212Read.Found> deviations;

    /** Where the data area's items end: at the closing {@code &&}, or the segment's end. */
    private int cpEnd;

    SegmentParser(String segment, int base, ZoneId zone, List<Hj212Read.Found> deviations) {
      this.segment = segment;
      this.base = base;
      this.zone = zone;
      this.deviations = deviations;
    }

    Hj212Packet parse() throws DecodeException {
      int cpStart = findCpStart();
      readHeader(cpStart);
      String qn = required("QN");
      String st = required("ST");
      String cn = required("CN");
      String pw = required("PW");
      String mn = required("MN");
      String flagText = required("Flag");
      // HJ 212-2017 field lengths: QN 17, ST 2, CN 4, PW 6, MN 24 characters; Flag 0–255.
      requireQn(qn);
      requireDigits("ST", st, 2, 2, "a 2-digit system code");
      requireDigits("CN", cn, 4, 4, "a 4-digit command code");
      requireToken("PW", pw, 6);
      requireToken("MN", mn, 24);
      requireDigits("Flag", flagText, 1, 3, "a number 0–255");
      int flag = Integer.parseInt(flagText);
      if (flag > 255) {
        throw error("Flag " + flag + " is not a number 0–255", offsetOf("Flag"));
      }
      Integer pnum = optionalCount("PNUM");
      Integer pno = optionalCount("PNO");
      if ((flag & Hj212Packet.FLAG_SPLIT) != 0 && (pnum == null || pno == null)) {
        throw error(
            "Flag "
                + flag
                + " marks a split packet but "
                + (pnum == null ? "PNUM" : "PNO")
                + " is missing",
            offsetOf("Flag"));
      }
      if (pnum != null && pno != null && (pno < 1 || pno > pnum)) {
        throw error("PNO " + pno + " is not within 1 to PNUM " + pnum, offsetOf("PNO"));
      }
      if (Hj212Version.ofBits(flag >>> 2).isEmpty()) {
        throw error(
            "Flag "
                + flag
                + " names protocol version "
                + (flag >>> 2)
                + " in bits 2–7; known: 0 HJ/T 212-2005, 1 HJ 212-2017, 2 HJ 212-2025",
            offsetOf("Flag"));
      }
      String rf = header.get("RF");
      if (rf != null && !rf.equals(RF_RESENT)) {
        throw error(
            "RF " + Quote.text(rf) + " is not 1 (re-sent); live data has no RF", offsetOf("RF"));
      }
      CpData cp = readCp(cpStart + CP_START.length(), cpEnd);
      return new Hj212Packet(qn, st, cn, pw, mn, flag, pnum, pno, cp, rf != null);
    }

    /** The offset of {@code CP=&&}, which must start a field and be closed by {@code &&}. */
    private int findCpStart() throws DecodeException {
      int cpStart = segment.indexOf(CP_START);
      while (cpStart > 0 && segment.charAt(cpStart - 1) != ';') {
        cpStart = segment.indexOf(CP_START, cpStart + 1);
      }
      if (cpStart < 0) {
        throw error("no CP=&&…&& in the data segment", base);
      }
      if (segment.length() < cpStart + CP_START.length() + CP_END.length()
          || !segment.endsWith(CP_END)) {
        deviations.add(
            new Hj212Read.Found(
                Hj212Deviation.MISSING_FINAL_TERMINATOR,
                "CP=&& is not closed by && at the end of the data segment",
                "offset " + (base + cpStart)));
        cpEnd = segment.length();
      } else {
        cpEnd = segment.length() - CP_END.length();
      }
      return cpStart;
    }

    private void readHeader(int cpStart) throws DecodeException {
      int position = 0;
      while (position < cpStart) {
        // Every header field ends with ';': the one before CP=&& was checked by findCpStart.
        int end = segment.indexOf(';', position);
        String field = segment.substring(position, end);
        int equals = field.indexOf('=');
        if (equals <= 0) {
          throw error("field " + Quote.text(field) + " is not name=value", base + position);
        }
        String name = field.substring(0, equals);
        switch (name) {
          case "QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO", "RF" -> {
            if (header.putIfAbsent(name, field.substring(equals + 1)) != null) {
              throw error("duplicate field " + name, base + position);
            }
            headerOffsets.put(name, base + position + equals + 1);
          }
          default -> throw error("unknown field " + Quote.text(name), base + position);
        }
        position = end + 1;
      }
    }

    private String required(String name) throws DecodeException {
      String value = header.get(name);
      if (value == null) {
        throw error("missing field " + name, base);
      }
      return value;
    }

    private int offsetOf(String name) {
      return headerOffsets.getOrDefault(name, base);
    }

    private void requireDigits(String name, String value, int min, int max, String expected)
        throws DecodeException {
      boolean ok = value.length() >= min && value.length() <= max;
      for (int i = 0; ok && i < value.length(); i++) {
        ok = isDigit(value.charAt(i));
      }
      if (!ok) {
        throw error(name + " " + Quote.text(value) + " is not " + expected, offsetOf(name));
      }
    }

    /** 1 to {@code max} printable ASCII characters, none of the separators ; , = &. */
    private void requireToken(String name, String value, int max) throws DecodeException {
      if (value.isEmpty() || value.length() > max) {
        throw error(
            name + " " + Quote.text(value) + " is not 1 to " + max + " characters", offsetOf(name));
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c <= ' ' || c >= 0x7f || c == ',' || c == '=' || c == '&') {
          throw error(
              name + " " + Quote.text(value) + " holds a character not allowed in a field",
              offsetOf(name) + i);
        }
      }
    }

    /**
     * QN is {@code YYYYMMDDhhmmsszzz} (HJ 212-2017 table 2); 13 digits of epoch milliseconds are a
     * deviation some stations have.
     */
    private void requireQn(String qn) throws DecodeException {
      boolean digits = !qn.isEmpty();
      for (int i = 0; digits && i < qn.length(); i++) {
        digits = isDigit(qn.charAt(i));
      }
      if (digits && qn.length() == 17) {
        return;
      }
      String reason = "QN " + Quote.text(qn) + " is not YYYYMMDDhhmmsszzz";
      if (digits && qn.length() == 13) {
        deviations.add(
            new Hj212Read.Found(
                Hj212Deviation.QN_EPOCH_MILLIS, reason, "offset " + offsetOf("QN")));
        return;
      }
      throw error(reason, offsetOf("QN"));
    }

    private Integer optionalCount(String name) throws DecodeException {
      String value = header.get(name);
      if (value == null) {
        return null;
      }
      requireDigits(name, value, 1, 4, "a packet count of 1 to 4 digits");
      return Integer.parseInt(value);
    }

    /** CP items are {@code name=value}, separated by ';' between groups and ',' within one. */
    private CpData readCp(int from, int to) throws DecodeException {
      Instant dataTime = null;
      Map<String, String> fields = new LinkedHashMap<>();
      Map<String, Map<String, String>> factors = new LinkedHashMap<>();
      int position = from;
      while (position < to) {
        int itemEnd = nextSeparator(position, to);
        if (itemEnd > position) {
          String item = segment.substring(position, itemEnd);
          int itemOffset = base + position;
          int equals = item.indexOf('=');
          if (equals <= 0) {
            throw error("CP item " + Quote.text(item) + " is not name=value", itemOffset);
          }
          String name = item.substring(0, equals);
          String value = item.substring(equals + 1);
          int dash = name.lastIndexOf('-');
          if (name.equals(CpData.DATA_TIME)) {
            if (dataTime != null) {
              throw error("duplicate CP item DataTime", itemOffset);
            }
            dataTime = dataTime(value, itemOffset + equals + 1);
          } else if (dash >= 0) {
            if (dash == 0 || dash == name.length() - 1) {
              throw error(
                  "CP item name " + Quote.text(name) + " is not {factor code}-{field}", itemOffset);
            }
            Map<String, String> factor =
                factors.computeIfAbsent(name.substring(0, dash), code -> new LinkedHashMap<>());
            if (factor.putIfAbsent(name.substring(dash + 1), value) != null) {
              throw error("duplicate CP item " + Quote.text(name), itemOffset);
            }
          } else if (fields.putIfAbsent(name, value) != null) {
            throw error("duplicate CP item " + Quote.text(name), itemOffset);
          }
        }
        // Empty items (;; inside CP) are tolerated; one before the closing && is a deviation.
        position = itemEnd + 1;
      }
      if (to > from && (segment.charAt(to - 1) == ';' || segment.charAt(to - 1) == ',')) {
        deviations.add(
            new Hj212Read.Found(
                Hj212Deviation.TRAILING_SEMICOLON,
                "empty item: "
                    + Quote.text(String.valueOf(segment.charAt(to - 1)))
                    + " before the closing &&",
                "offset " + (base + to - 1)));
      }
      List<FactorValues> factorValues = new ArrayList<>(factors.size());
      factors.forEach((code, values) -> factorValues.add(new FactorValues(code, values)));
      return new CpData(dataTime, fields, factorValues);
    }

    private int nextSeparator(int from, int to) {
      for (int i = from; i < to; i++) {
        char c = segment.charAt(i);
        if (c == ';' || c == ',') {
          return i;
        }
      }
      return to;
    }

    private Instant dataTime(String value, int offset) throws DecodeException {
      boolean digits = value.length() == 14;
      for (int i = 0; digits && i < value.length(); i++) {
        digits = isDigit(value.charAt(i));
      }
      if (digits) {
        try {
          LocalDateTime local =
              LocalDateTime.of(
                  Integer.parseInt(value.substring(0, 4)),
                  Integer.parseInt(value.substring(4, 6)),
                  Integer.parseInt(value.substring(6, 8)),
                  Integer.parseInt(value.substring(8, 10)),
                  Integer.parseInt(value.substring(10, 12)),
                  Integer.parseInt(value.substring(12, 14)));
          return ZonedDateTime.ofLocal(local, zone, null).toInstant();
        } catch (DateTimeException e) {
          // Falls through to the error below: a well-formed but impossible date.
        }
      }
      throw error("DataTime " + Quote.text(value) + " is not a valid YYYYMMDDhhmmss time", offset);
    }

    private static DecodeException error(String reason, int offset) {
      return new DecodeException(reason, "offset " + offset);
    }
  }

  /**
   * Writes a packet whose times are China Standard Time; see {@link #encode(Hj212Packet, ZoneId)}.
   */
  public static byte[] encode(Hj212Packet packet) {
    return encode(packet, DEFAULT_STATION_ZONE);
  }

  /**
   * Writes a packet with its data length and CRC. The result is checked by decoding it again, so a
   * packet that would not read back the same (a separator inside a value, a field too long, a
   * sub-second DataTime) is refused.
   *
   * @param stationZone the time zone of the station's clock, for {@code DataTime}
   * @throws IllegalArgumentException when the packet cannot be written faithfully
   */
  public static byte[] encode(Hj212Packet packet, ZoneId stationZone) {
    return encode(packet, stationZone, Set.of());
  }

  /** As {@link #encode(Hj212Packet, ZoneId)}, reading back with {@code tolerated}. */
  private static byte[] encode(
      Hj212Packet packet, ZoneId stationZone, Set<Hj212Deviation> tolerated) {
    byte[] segment = dataSegment(packet, stationZone).getBytes(StandardCharsets.ISO_8859_1);
    if (segment.length > MAX_DATA_LENGTH) {
      throw new IllegalArgumentException(
          "data segment of " + segment.length + " bytes exceeds " + MAX_DATA_LENGTH);
    }
    String header = String.format("##%04d", segment.length);
    String trailer = Hj212Crc.hex(Hj212Crc.crc16(segment)) + "\r\n";
    byte[] frame = new byte[HEADER_LENGTH + segment.length + TRAILER_LENGTH];
    System.arraycopy(header.getBytes(StandardCharsets.US_ASCII), 0, frame, 0, HEADER_LENGTH);
    System.arraycopy(segment, 0, frame, HEADER_LENGTH, segment.length);
    System.arraycopy(
        trailer.getBytes(StandardCharsets.US_ASCII),
        0,
        frame,
        HEADER_LENGTH + segment.length,
        TRAILER_LENGTH);
    Hj212Packet readBack;
    try {
      readBack = decodeFrame(frame, stationZone, tolerated);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("packet is not valid HJ 212: " + e.getMessage(), e);
    }
    if (!readBack.equals(packet)) {
      throw new IllegalArgumentException(
          "packet does not read back the same: a value holds ; , = or &, a factor code is repeated,"
              + " or DataTime is not whole seconds: "
              + packet);
    }
    return frame;
  }

  /**
   * The data response (CN 9014) to a packet that asked for one, in the request's version: {@code
   * QN=<request QN>;ST=91;CN=9014;PW=<pw>;MN=<mn>;Flag=<version << 2>;CP=&&&&} — Flag 4 for HJ
   * 212-2017, 8 for HJ 212-2025, 0 for HJ/T 212-2005 (docs/standards.md §7). The QN is echoed as
   * the station wrote it, epoch milliseconds included.
   */
  public static byte[] dataResponse(Hj212Packet request) {
    return response(request, CN_DATA_RESPONSE);
  }

  /**
   * The notification response (CN 9013) to a packet that asked for one, in the request's version;
   * envmon's answer to a heartbeat (CN 9015) that asks for a reply (docs/standards.md).
   */
  public static byte[] notificationResponse(Hj212Packet request) {
    return response(request, CN_NOTIFICATION_RESPONSE);
  }

  private static byte[] response(Hj212Packet request, String cn) {
    return encode(
        new Hj212Packet(
            request.qn(),
            ST_SYSTEM_INTERACTION,
            cn,
            request.pw(),
            request.mn(),
            request.version().plainFlag(),
            null,
            null,
            CpData.EMPTY),
        DEFAULT_STATION_ZONE,
        Set.of(Hj212Deviation.QN_EPOCH_MILLIS));
  }

  private static String dataSegment(Hj212Packet packet, ZoneId zone) {
    StringBuilder segment = new StringBuilder(256);
    segment
        .append("QN=")
        .append(packet.qn())
        .append(";ST=")
        .append(packet.st())
        .append(";CN=")
        .append(packet.cn())
        .append(";PW=")
        .append(packet.pw())
        .append(";MN=")
        .append(packet.mn())
        .append(";Flag=")
        .append(packet.flag())
        .append(';');
    if (packet.pnum() != null) {
      segment.append("PNUM=").append(packet.pnum()).append(';');
    }
    if (packet.pno() != null) {
      segment.append("PNO=").append(packet.pno()).append(';');
    }
    if (packet.resent()) {
      segment.append("RF=").append(RF_RESENT).append(';');
    }
    List<String> groups = new ArrayList<>();
    CpData cp = packet.cp();
    if (cp.dataTime() != null) {
      groups.add(CpData.DATA_TIME + "=" + DATA_TIME.format(cp.dataTime().atZone(zone)));
    }
    cp.fields().forEach((name, value) -> groups.add(name + "=" + value));
    for (FactorValues factor : cp.factors()) {
      List<String> items = new ArrayList<>(factor.fields().size());
      factor
          .fields()
          .forEach((field, value) -> items.add(factor.code() + "-" + field + "=" + value));
      groups.add(String.join(",", items));
    }
    return segment.append(CP_START).append(String.join(";", groups)).append(CP_END).toString();
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static String ascii(byte[] bytes, int offset, int length) {
    return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
  }
}
