package io.tiercel.core.pdata;

import java.nio.charset.StandardCharsets;

/** UTF-8 checks and comparisons on byte ranges, without decoding them to strings. */
final class Utf8 {
  private Utf8() {}

  /**
   * True when {@code [pos, end)} is well-formed UTF-8 as protobuf-java requires of proto3 strings:
   * no overlong forms, no surrogates, nothing above U+10FFFF.
   */
  static boolean valid(byte[] b, int pos, int end) {
    while (pos < end && b[pos] >= 0) {
      pos++;
    }
    while (pos < end) {
      int c = b[pos++];
      if (c >= 0) {
        continue;
      }
      if (c < (byte) 0xE0) {
        // two bytes: C2..DF then a continuation byte
        if (pos >= end || c < (byte) 0xC2 || b[pos++] > (byte) 0xBF) {
          return false;
        }
      } else if (c < (byte) 0xF0) {
        if (pos + 1 >= end) {
          return false;
        }
        int c2 = b[pos++];
        if (c2 > (byte) 0xBF
            || (c == (byte) 0xE0 && c2 < (byte) 0xA0)
            || (c == (byte) 0xED && c2 >= (byte) 0xA0)
            || b[pos++] > (byte) 0xBF) {
          return false;
        }
      } else {
        if (pos + 2 >= end) {
          return false;
        }
        int c2 = b[pos++];
        // F0 needs 90..BF, F4 needs 80..8F, above F4 is never valid
        if (c2 > (byte) 0xBF
            || (((c << 28) + (c2 - (byte) 0x90)) >> 30) != 0
            || b[pos++] > (byte) 0xBF
            || b[pos++] > (byte) 0xBF) {
          return false;
        }
      }
    }
    return true;
  }

  /** True when the UTF-8 bytes {@code [pos, end)} spell {@code s}. */
  static boolean sameAs(String s, byte[] b, int pos, int end) {
    int n = s.length();
    if (n > end - pos) {
      return false; // every char takes at least one byte
    }
    for (int i = 0; i < n; i++) {
      char ch = s.charAt(i);
      if (ch >= 0x80) {
        byte[] enc = s.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.equals(enc, 0, enc.length, b, pos, end);
      }
      if (b[pos + i] != (byte) ch) {
        return false;
      }
    }
    return n == end - pos;
  }

  /** Decodes {@code [pos, end)}, which {@link #valid} accepted. */
  static String decode(byte[] b, int pos, int end) {
    return new String(b, pos, end - pos, StandardCharsets.UTF_8);
  }
}
