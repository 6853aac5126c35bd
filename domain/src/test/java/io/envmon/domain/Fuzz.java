package io.envmon.domain;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Seeded-random fuzzing for decoders: random and mutated inputs, and the check that bad input only
 * ever yields a {@link DecodeException}. Reproduce a failure with {@code
 * -Denvmon.fuzz.seed=<seed>}; scale with {@code -Denvmon.fuzz.iterations=<n>}.
 */
public final class Fuzz {

  /** What a decoder under test does with one input. */
  @FunctionalInterface
  public interface Decoder {
    void decode(byte[] input) throws DecodeException;
  }

  /** Tokens that tend to reach deeper into SenML and HJ 212 decoders than random bytes do. */
  private static final List<byte[]> INTERESTING =
      List.of(
          ascii("##"),
          ascii("\r\n"),
          ascii("&&"),
          ascii(";"),
          ascii(","),
          ascii("="),
          ascii("-"),
          ascii("9999"),
          ascii("0000"),
          ascii("1e999"),
          ascii("-1e999"),
          ascii("1e-999"),
          ascii("NaN"),
          ascii("\""),
          ascii("["),
          ascii("]"),
          ascii("{"),
          ascii("}"),
          ascii("null"),
          ascii("99999999999999999999"),
          ascii("268435456"),
          ascii("_\":1"),
          ascii("\"bver\":11"),
          ascii("\\u0000"),
          bytes(0x5b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // byte string of 2^63 - 1
          bytes(0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // text string of 2^63 - 1
          bytes(0x9b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // array of 2^63 - 1
          bytes(0x9f), // indefinite array
          bytes(0xbf), // indefinite map
          bytes(0xff), // break
          bytes(0xc2, 0x41, 0xff), // bignum
          bytes(0xc4, 0x82, 0x3a, 0x7f, 0xff, 0xff, 0xff, 0x01), // decimal fraction 1e-2^31
          bytes(0xf9, 0x7e, 0x00), // half-precision NaN
          bytes(0xf9, 0x7c, 0x00), // half-precision infinity
          bytes(0xfb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0), // double infinity
          bytes(0xfb, 0x7f, 0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // largest double
          bytes(0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // -2^64
          bytes(0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), // 2^64 - 1
          bytes(
              0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81,
              0x81, 0x81, 0x81, 0x81, 0x81, 0x81), // nesting
          bytes(0x00),
          bytes(0x80),
          bytes(0xef, 0xbb, 0xbf)); // UTF-8 byte order mark

  private Fuzz() {}

  /** The seed to use: {@code -Denvmon.fuzz.seed} when given, else {@code defaultSeed}. */
  public static long seed(long defaultSeed) {
    return Long.getLong("envmon.fuzz.seed", defaultSeed);
  }

  /** The iteration count: {@code -Denvmon.fuzz.iterations} when given, else {@code defaults}. */
  public static int iterations(int defaults) {
    return Integer.getInteger("envmon.fuzz.iterations", defaults);
  }

  /** How many inputs decoded and how many were rejected with a {@link DecodeException}. */
  public record Outcome(int decoded, int rejected) {}

  /**
   * Runs {@code decoder} on {@code iterations} inputs drawn from {@code inputs}; fails, naming the
   * seed, iteration and input, on anything but success or a {@link DecodeException} that names what
   * and where.
   */
  public static Outcome run(
      String name, long seed, int iterations, Function<Random, byte[]> inputs, Decoder decoder) {
    Random random = new Random(seed);
    int decoded = 0;
    for (int iteration = 0; iteration < iterations; iteration++) {
      byte[] input = inputs.apply(random);
      try {
        decoder.decode(input);
        decoded++;
      } catch (DecodeException e) {
        if (e.reason() == null
            || e.reason().isBlank()
            || e.location() == null
            || e.location().isBlank()
            || e.reason().startsWith("internal decoder error")) {
          throw failure(name, seed, iteration, input, e);
        }
      } catch (Throwable t) {
        throw failure(name, seed, iteration, input, t);
      }
    }
    return new Outcome(decoded, iterations - decoded);
  }

  private static AssertionError failure(
      String name, long seed, int iteration, byte[] input, Throwable cause) {
    return new AssertionError(
        name
            + " failed with seed "
            + seed
            + " (rerun with -Denvmon.fuzz.seed="
            + seed
            + "), iteration "
            + iteration
            + ", input "
            + HexFormat.of().formatHex(input)
            + ": "
            + cause,
        cause);
  }

  /** Up to {@code maxLength} uniformly random bytes. */
  public static byte[] randomBytes(Random random, int maxLength) {
    byte[] bytes = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(bytes);
    return bytes;
  }

  /** Up to {@code maxTokens} tokens drawn from {@code alphabet}, concatenated. */
  public static byte[] randomTokens(Random random, List<String> alphabet, int maxTokens) {
    StringBuilder text = new StringBuilder();
    int count = random.nextInt(maxTokens + 1);
    for (int i = 0; i < count; i++) {
      text.append(alphabet.get(random.nextInt(alphabet.size())));
    }
    return ascii(text.toString());
  }

  /** One of {@code corpus}, changed by one to four random mutations. */
  public static byte[] mutate(Random random, List<byte[]> corpus) {
    byte[] input = corpus.get(random.nextInt(corpus.size())).clone();
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      input = mutateOnce(random, input, corpus);
    }
    return input;
  }

  private static byte[] mutateOnce(Random random, byte[] input, List<byte[]> corpus) {
    int length = input.length;
    int position = length == 0 ? 0 : random.nextInt(length);
    switch (random.nextInt(9)) {
      case 0 -> {
        if (length > 0) {
          input[position] ^= (byte) (1 << random.nextInt(8));
        }
        return input;
      }
      case 1 -> {
        if (length > 0) {
          input[position] = (byte) random.nextInt(256);
        }
        return input;
      }
      case 2 -> {
        byte[] inserted = new byte[1 + random.nextInt(4)];
        random.nextBytes(inserted);
        return splice(input, position, 0, inserted);
      }
      case 3 -> {
        return splice(
            input, position, random.nextInt(Math.max(1, length - position) + 1), new byte[0]);
      }
      case 4 -> {
        return Arrays.copyOf(input, position);
      }
      case 5 -> {
        int sliceLength = length == 0 ? 0 : random.nextInt(length - position + 1);
        byte[] slice = Arrays.copyOfRange(input, position, position + sliceLength);
        return splice(input, random.nextInt(length + 1), 0, slice);
      }
      case 6 -> {
        byte[] other = corpus.get(random.nextInt(corpus.size()));
        int from = other.length == 0 ? 0 : random.nextInt(other.length);
        return concat(
            Arrays.copyOf(input, position), Arrays.copyOfRange(other, from, other.length));
      }
      case 7 -> {
        return splice(input, position, 0, INTERESTING.get(random.nextInt(INTERESTING.size())));
      }
      default -> {
        byte[] token = INTERESTING.get(random.nextInt(INTERESTING.size()));
        return splice(input, position, Math.min(token.length, length - position), token);
      }
    }
  }

  private static byte[] splice(byte[] input, int position, int removed, byte[] inserted) {
    int kept = Math.min(removed, input.length - position);
    ByteArrayOutputStream out = new ByteArrayOutputStream(input.length + inserted.length);
    out.write(input, 0, position);
    out.writeBytes(inserted);
    out.write(input, position + kept, input.length - position - kept);
    return out.toByteArray();
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  public static byte[] ascii(String text) {
    return text.getBytes(ISO_8859_1);
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
