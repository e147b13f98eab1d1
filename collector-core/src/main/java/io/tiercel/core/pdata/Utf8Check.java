package io.tiercel.core.pdata;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the first byte that makes a range invalid UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), the rule protobuf applies to {@code string} fields.
 */
final class Utf8Check {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Check() {}

  /** The offset of the first invalid sequence in {@code b[pos, end)}, or -1 when all is valid. */
  static int firstInvalid(byte[] b, int pos, int end) {
    // most strings are ASCII: skip eight bytes at a time while no byte has its high bit set
    while (end - pos >= 8 && ((long) LONGS.get(b, pos) & HIGH_BITS) == 0) {
      pos += 8;
    }
    while (pos < end) {
      int c = b[pos];
      if (c >= 0) {
        pos++;
        continue;
      }
      int start = pos;
      c &= 0xff;
      if (c < 0xC2) {
        return start; // a continuation byte, or an overlong two-byte form
      }
      if (c < 0xE0) {
        if (end - pos < 2 || !continuation(b[pos + 1])) {
          return start;
        }
        pos += 2;
      } else if (c < 0xF0) {
        if (end - pos < 3 || !continuation(b[pos + 1]) || !continuation(b[pos + 2])) {
          return start;
        }
        int c1 = b[pos + 1] & 0xff;
        if (c == 0xE0 && c1 < 0xA0 || c == 0xED && c1 >= 0xA0) {
          return start; // overlong, or a surrogate
        }
        pos += 3;
      } else if (c < 0xF5) {
        if (end - pos < 4
            || !continuation(b[pos + 1])
            || !continuation(b[pos + 2])
            || !continuation(b[pos + 3])) {
          return start;
        }
        int c1 = b[pos + 1] & 0xff;
        if (c == 0xF0 && c1 < 0x90 || c == 0xF4 && c1 >= 0x90) {
          return start; // overlong, or above U+10FFFF
        }
        pos += 4;
      } else {
        return start;
      }
    }
    return -1;
  }

  private static boolean continuation(byte x) {
    return (x & 0xC0) == 0x80;
  }
}
