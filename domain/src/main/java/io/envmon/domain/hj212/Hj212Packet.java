package io.envmon.domain.hj212;

import java.util.Objects;

/**
 * One HJ 212 packet's data segment: {@code QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;][RF=1;]
 * CP=&&…&&} (docs/standards.md §7). The protocol version (HJ/T 212-2005, HJ 212-2017, HJ 212-2025)
 * is in Flag bits 2–7, see {@link #version()}.
 *
 * @param qn request id {@code YYYYMMDDhhmmsszzz}
 * @param st system code, e.g. 22 air quality, 91 system interaction
 * @param cn command code, e.g. 2011 real-time data, 9014 data response
 * @param pw access password
 * @param mn station id
 * @param flag bit 0 asks for a response, bit 1 marks a split packet, bits 2–7 the protocol version
 * @param pnum total number of packets when split; {@code null} when absent
 * @param pno number of this packet when split; {@code null} when absent
 * @param cp the data area
 * @param resent {@code RF=1}: the station sends again data it could not deliver before (补传, HJ
 *     212-2025 table 3); absent for live data
 */
public record Hj212Packet(
    String qn,
    String st,
    String cn,
    String pw,
    String mn,
    int flag,
    Integer pnum,
    Integer pno,
    CpData cp,
    boolean resent) {

  /** Flag bit 0: the station asks for a response. */
  public static final int FLAG_ASKS_FOR_REPLY = 1;

  /** Flag bit 1: the packet is one of several (PNUM and PNO present). */
  public static final int FLAG_SPLIT = 1 << 1;

  /** Flag bits 2–7: protocol version 000001, HJ 212-2017. */
  public static final int VERSION_2017 = 1;

  /** The Flag of an HJ 212-2017 packet that asks for no response: 4. */
  public static final int FLAG_2017 = VERSION_2017 << 2;

  /** The Flag of an HJ 212-2025 packet that asks for no response: 8. */
  public static final int FLAG_2025 = Hj212Version.HJ_212_2025.bits() << 2;

  /** A packet without {@code RF}: live data. */
  public Hj212Packet(
      String qn,
      String st,
      String cn,
      String pw,
      String mn,
      int flag,
      Integer pnum,
      Integer pno,
      CpData cp) {
    this(qn, st, cn, pw, mn, flag, pnum, pno, cp, false);
  }

  public Hj212Packet {
    Objects.requireNonNull(qn, "qn");
    Objects.requireNonNull(st, "st");
    Objects.requireNonNull(cn, "cn");
    Objects.requireNonNull(pw, "pw");
    Objects.requireNonNull(mn, "mn");
    Objects.requireNonNull(cp, "cp");
    if (flag < 0 || flag > 255) {
      throw new IllegalArgumentException("Flag " + flag + " is not in 0–255");
    }
  }

  /** Flag bit 0: the sender asks for a response (e.g. a 9014 data response). */
  public boolean asksForReply() {
    return (flag & FLAG_ASKS_FOR_REPLY) != 0;
  }

  /** Flag bit 1: the packet is part of a split message. */
  public boolean isSplit() {
    return (flag & FLAG_SPLIT) != 0;
  }

  /** Flag bits 2–7: 0 for HJ/T 212-2005, 1 for HJ 212-2017, 2 for HJ 212-2025. */
  public int protocolVersion() {
    return flag >>> 2;
  }

  /**
   * The standard the packet follows, from Flag bits 2–7. The codec refuses other version numbers,
   * so a decoded packet always has one.
   */
  public Hj212Version version() {
    return Hj212Version.ofBits(protocolVersion())
        .orElseThrow(
            () -> new IllegalStateException("Flag " + flag + " names no known HJ 212 version"));
  }

  /** The same packet with another Flag (e.g. a reply in the request's version). */
  public Hj212Packet withFlag(int newFlag) {
    return new Hj212Packet(qn, st, cn, pw, mn, newFlag, pnum, pno, cp, resent);
  }
}
