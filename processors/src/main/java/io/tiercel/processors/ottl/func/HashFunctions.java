package io.tiercel.processors.ottl.func;

import static io.tiercel.processors.ottl.func.Args.str;
import static io.tiercel.processors.ottl.func.Param.required;

import io.tiercel.processors.ottl.eval.Bytes;
import io.tiercel.processors.ottl.eval.Getter;
import io.tiercel.processors.ottl.grammar.CompileError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Hashes and identifiers: SHA1, SHA256, SHA512, MD5, FNV, UUID, TraceID and SpanID. */
final class HashFunctions {
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
    registry.converter("UUID", (a, cols, col) -> c -> UUID.randomUUID().toString());
    registry.converter(
        "TraceID",
        (a, cols, col) -> {
          Bytes b = (Bytes) a[0];
          if (b.length() != 16) {
            throw new CompileError(cols[0], "TraceID: expected 16 bytes, got " + b.length());
          }
          return c -> b;
        },
        required("bytes", ParamKind.BYTES_LIT));
    registry.converter(
        "SpanID",
        (a, cols, col) -> {
          Bytes b = (Bytes) a[0];
          if (b.length() != 8) {
            throw new CompileError(cols[0], "SpanID: expected 8 bytes, got " + b.length());
          }
          return c -> b;
        },
        required("bytes", ParamKind.BYTES_LIT));
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
