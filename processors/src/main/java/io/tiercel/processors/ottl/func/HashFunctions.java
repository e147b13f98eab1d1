package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.required;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import io.tiercel.processors.ottl.eval.Values;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Hashes and identifiers: SHA1, SHA256, SHA512, MD5, FNV, Murmur3Hash, Murmur3Hash128, XXH3,
 * XXH128, UUID, UUIDv7, TraceID, SpanID and ProfileID.
 */
final class HashFunctions {
  private static final Hasher64 XXH3_64 = Hashing.xxh3_64();
  private static final Hasher128 XXH3_128 = Hashing.xxh3_128();
  private static final SecureRandom RANDOM = new SecureRandom();

  private HashFunctions() {}

  static void register(FunctionRegistry.Builder registry) {
    registry.converter(
        "SHA256",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> digest("SHA-256", str(t.get(c), "SHA256"));
        },
        required("input", ParamKind.ANY));
    registry.converter(
        "SHA1",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> digest("SHA-1", str(t.get(c), "SHA1"));
        },
        required("input", ParamKind.ANY));
    registry.converter(
        "SHA512",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> digest("SHA-512", str(t.get(c), "SHA512"));
        },
        required("input", ParamKind.ANY));
    registry.converter(
        "MD5",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> digest("MD5", str(t.get(c), "MD5"));
        },
        required("input", ParamKind.ANY));
    registry.converter(
        "FNV",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> fnv1a64(str(t.get(c), "FNV").getBytes(StandardCharsets.UTF_8));
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "Murmur3Hash",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> Murmur3.hexLe(Murmur3.hash32(utf8(t.get(c), "Murmur3Hash")), 4);
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "Murmur3Hash128",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            long[] h = Murmur3.hash128(utf8(t.get(c), "Murmur3Hash128"));
            return Murmur3.hexLe(h[0], 8) + Murmur3.hexLe(h[1], 8);
          };
        },
        required("target", ParamKind.ANY));
    registry.converter(
        "XXH3",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> String.format("%016x", XXH3_64.hashBytesToLong(utf8(t.get(c), "XXH3")));
        },
        required("value", ParamKind.ANY));
    registry.converter(
        "XXH128",
        (a, cols, col) -> {
          Getter t = (Getter) a[0];
          return c -> {
            HashValue128 h = XXH3_128.hashBytesTo128Bits(utf8(t.get(c), "XXH128"));
            return String.format(
                "%016x%016x", h.getMostSignificantBits(), h.getLeastSignificantBits());
          };
        },
        required("value", ParamKind.ANY));
    registry.converter("UUID", (a, cols, col) -> c -> UUID.randomUUID().toString());
    registry.converter("UUIDv7", (a, cols, col) -> c -> uuidV7(c.clock().instant()).toString());
    id(registry, "TraceID", 16);
    id(registry, "SpanID", 8);
    id(registry, "ProfileID", 16);
  }

  /**
   * TraceID, SpanID or ProfileID: {@code len} bytes, or a hex string of twice as many characters;
   * literals are checked when compiling.
   */
  private static void id(FunctionRegistry.Builder registry, String name, int len) {
    registry.converter(
        name,
        (a, cols, col) -> {
          if (a[0] instanceof Getter g) {
            return c -> {
              Bytes b = idBytes(name, g.get(c), len);
              if (b == null) {
                throw new OttlRuntimeException(idProblem(name, g.get(c), len));
              }
              return b;
            };
          }
          Bytes b = idBytes(name, a[0], len);
          if (b == null) {
            throw new CompileError(cols[0], idProblem(name, a[0], len));
          }
          return c -> b;
        },
        required("bytes", ParamKind.BYTES_LIKE));
  }

  private static @Nullable Bytes idBytes(String name, @Nullable Object v, int len) {
    if (v instanceof Bytes b) {
      return b.length() == len ? b : null;
    }
    if (v instanceof String s && s.length() == 2 * len) {
      return Bytes.parseHex(s);
    }
    return null;
  }

  private static String idProblem(String name, @Nullable Object v, int len) {
    if (v instanceof Bytes b) {
      return name + ": expected " + len + " bytes, got " + b.length();
    }
    if (v instanceof String s) {
      return s.length() != 2 * len
          ? name + ": expected " + 2 * len + " hex characters, got " + s.length()
          : name + ": \"" + s + "\" is not a hex string";
    }
    return name + ": expected bytes or a hex string but got " + Values.typeName(v);
  }

  private static byte[] utf8(@Nullable Object v, String fn) {
    return str(v, fn).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, the version, 74 random bits and the
   * variant.
   */
  static UUID uuidV7(Instant now) {
    long ms = now.toEpochMilli();
    long randA = RANDOM.nextLong() & 0xfffL;
    long randB = RANDOM.nextLong() & 0x3fffffffffffffffL;
    long msb = (ms & 0xffffffffffffL) << 16 | 0x7000L | randA;
    long lsb = 0x8000000000000000L | randB;
    return new UUID(msb, lsb);
  }

  private static String digest(String alg, String s) {
    try {
      return Bytes.wrap(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)))
          .hex();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The FNV-1a 64-bit hash as a signed int64, as the collector returns it. */
  static long fnv1a64(byte[] data) {
    long h = 0xcbf29ce484222325L;
    for (byte b : data) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
