package io.envmon.domain.hj212;

import io.envmon.domain.DecodeException;
import io.envmon.domain.Quote;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SM4 (GB/T 32907) of the HJ 212-2025 data area (§6.4, appendix A.2): a 16-byte key per station,
 * ECB, no padding, over the characters between {@code CP=&&} and the closing {@code &&} in groups
 * of 16; a tail shorter than 16 characters stays plaintext. On the wire the encrypted groups are
 * written as {@code {0xE4,0x3E,…}} followed by the plaintext tail, e.g. {@code
 * CP=&&{0xE4,…,0xA4}g=N&&B541}. The CRC and the 4-digit length of the packet are those of the
 * plaintext packet, so the length field does not tell where an encrypted packet ends.
 *
 * <p>Needs {@code org.bouncycastle:bcprov-jdk18on} on the class path (an optional dependency of
 * {@code domain}).
 */
public final class Hj212Sm4 {

  /** SM4 keys are 16 bytes. */
  public static final int KEY_LENGTH = 16;

  private static final int BLOCK = 16;
  private static final String CP_START = "CP=&&";
  private static final String ENCRYPTED_CP_START = "CP=&&{";
  private static final String CP_END = "&&";

  /** The {@code &&}, CRC and CR LF after the data area. */
  private static final int END_LENGTH = CP_END.length() + Hj212Codec.TRAILER_LENGTH;

  private Hj212Sm4() {}

  /**
   * True when the packet's data area starts with {@code {}: SM4-encrypted groups. A plaintext data
   * area never does (CP items are {@code name=value}).
   */
  public static boolean isEncrypted(byte[] frame) {
    return cpStart(text(frame), ENCRYPTED_CP_START) >= 0;
  }

  /**
   * A header field read without decrypting, e.g. {@code MN} to find the station's key; empty when
   * the field is not in the header.
   */
  public static Optional<String> headerField(byte[] frame, String name) {
    String text = text(frame);
    int cp = cpStart(text, CP_START);
    int headerEnd = cp >= 0 ? cp : text.length();
    int position = Math.min(Hj212Codec.HEADER_LENGTH, headerEnd);
    while (position < headerEnd) {
      int end = text.indexOf(';', position);
      if (end < 0 || end > headerEnd) {
        break;
      }
      String field = text.substring(position, end);
      if (field.startsWith(name + "=")) {
        return Optional.of(field.substring(name.length() + 1));
      }
      position = end + 1;
    }
    return Optional.empty();
  }

  /**
   * The plaintext packet of an encrypted one: the {@code {0x..}} groups decrypted with {@code key},
   * the tail and everything else unchanged. Its length and CRC are still to be checked by {@link
   * Hj212Codec#decodeFrame}: with a wrong key the CRC does not match.
   *
   * @throws DecodeException when the data area is not {@code {0xNN,…}} of whole 16-byte groups
   *     followed by a tail shorter than 16 characters
   */
  public static byte[] decrypt(byte[] frame, byte[] key) throws DecodeException {
    Objects.requireNonNull(frame, "frame");
    requireKey(key);
    String text = text(frame);
    int cp = cpStart(text, ENCRYPTED_CP_START);
    if (cp < 0) {
      throw new DecodeException("the data area is not encrypted (no CP=&&{)", "offset 0");
    }
    int open = cp + CP_START.length();
    int dataEnd = text.length() - END_LENGTH;
    if (dataEnd <= open
        || !text.startsWith(CP_END, dataEnd)
        || !text.endsWith("\r\n")
        || !text.startsWith("##")) {
      throw new DecodeException(
          "encrypted packet does not end with && + CRC + CR LF", "offset " + Math.max(dataEnd, 0));
    }
    int close = text.indexOf('}', open);
    if (close < 0 || close >= dataEnd) {
      throw new DecodeException("encrypted data area {0x… is not closed by }", "offset " + open);
    }
    byte[] cipher = hexList(text, open + 1, close);
    if (cipher.length == 0 || cipher.length % BLOCK != 0) {
      throw new DecodeException(
          "encrypted data area holds " + cipher.length + " bytes, not whole groups of " + BLOCK,
          "offset " + open);
    }
    String tail = text.substring(close + 1, dataEnd);
    if (tail.length() >= BLOCK) {
      throw new DecodeException(
          "plaintext tail of "
              + tail.length()
              + " characters after the encrypted groups; only a tail shorter than 16 stays plain",
          "offset " + (close + 1));
    }
    byte[] plain = crypt(false, key, cipher);
    String plainText =
        text.substring(0, open)
            + new String(plain, StandardCharsets.ISO_8859_1)
            + tail
            + text.substring(dataEnd);
    return plainText.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Encrypts a plaintext packet the way an HJ 212-2025 station does (for tests and the simulator).
   * The length field and CRC stay those of the plaintext. A data area shorter than 16 characters
   * has nothing to encrypt and is returned unchanged.
   *
   * @throws IllegalArgumentException when {@code plainFrame} has no {@code CP=&&…&&} or is already
   *     encrypted
   */
  public static byte[] encrypt(byte[] plainFrame, byte[] key) {
    Objects.requireNonNull(plainFrame, "plainFrame");
    requireKey(key);
    String text = text(plainFrame);
    int cp = cpStart(text, CP_START);
    int dataEnd = text.length() - END_LENGTH;
    int open = cp + CP_START.length();
    if (cp < 0 || dataEnd < open || !text.startsWith(CP_END, dataEnd)) {
      throw new IllegalArgumentException("not a plaintext HJ 212 packet with CP=&&…&&");
    }
    if (isEncrypted(plainFrame)) {
      throw new IllegalArgumentException("the packet is encrypted already");
    }
    String data = text.substring(open, dataEnd);
    int whole = data.length() / BLOCK * BLOCK;
    if (whole == 0) {
      return plainFrame.clone();
    }
    byte[] cipher =
        crypt(true, key, data.substring(0, whole).getBytes(StandardCharsets.ISO_8859_1));
    StringBuilder out = new StringBuilder(text.length() + cipher.length * 4);
    out.append(text, 0, open).append('{');
    for (int i = 0; i < cipher.length; i++) {
      out.append(i == 0 ? "" : ",").append(String.format("0x%02X", cipher[i] & 0xff));
    }
    out.append('}').append(data, whole, data.length()).append(text, dataEnd, text.length());
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * A key from the credentials file: 32 hex digits, or 16 characters taken as their ASCII bytes
   * (the standard's test key, sixteen 0x30, is {@code 0000000000000000}).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static byte[] parseKey(String text) {
    Objects.requireNonNull(text, "key");
    if (text.length() == 2 * KEY_LENGTH
        && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      byte[] key = new byte[KEY_LENGTH];
      for (int i = 0; i < KEY_LENGTH; i++) {
        key[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
      }
      return key;
    }
    if (text.length() == KEY_LENGTH && text.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      return text.getBytes(StandardCharsets.US_ASCII);
    }
    throw new IllegalArgumentException(
        "an SM4 key is 32 hex digits or 16 printable ASCII characters, not "
            + text.length()
            + " characters");
  }

  private static byte[] hexList(String text, int from, int to) throws DecodeException {
    byte[] bytes = new byte[(to - from + 1) / 5];
    int count = 0;
    int position = from;
    while (position < to) {
      int end = text.indexOf(',', position);
      if (end < 0 || end > to) {
        end = to;
      }
      String item = text.substring(position, end);
      if (item.length() != 4
          || item.charAt(0) != '0'
          || (item.charAt(1) != 'x' && item.charAt(1) != 'X')
          || Character.digit(item.charAt(2), 16) < 0
          || Character.digit(item.charAt(3), 16) < 0
          || count == bytes.length) {
        throw new DecodeException(
            "encrypted byte " + Quote.text(item) + " is not 0xNN", "offset " + position);
      }
      bytes[count++] =
          (byte) (Character.digit(item.charAt(2), 16) * 16 + Character.digit(item.charAt(3), 16));
      position = end + 1;
    }
    return java.util.Arrays.copyOf(bytes, count);
  }

  private static byte[] crypt(boolean encrypt, byte[] key, byte[] input) {
    SM4Engine engine = new SM4Engine();
    engine.init(encrypt, new KeyParameter(key));
    byte[] output = new byte[input.length];
    for (int offset = 0; offset < input.length; offset += BLOCK) {
      engine.processBlock(input, offset, output, offset);
    }
    return output;
  }

  private static void requireKey(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "an SM4 key is " + KEY_LENGTH + " bytes, not " + key.length);
    }
  }

  /** The offset of {@code marker} where it starts a header field (after {@code ;}), or -1. */
  private static int cpStart(String text, String marker) {
    int at = text.indexOf(marker);
    while (at > 0 && text.charAt(at - 1) != ';') {
      at = text.indexOf(marker, at + 1);
    }
    return at;
  }

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.ISO_8859_1);
  }
}
