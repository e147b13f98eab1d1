package io.tiercel.core.pdata.json;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.Base64;

/**
 * A minimal UTF-8 JSON writer into a growable byte array: no intermediate strings for numbers or
 * ids, commas tracked per nesting level. Not thread-safe; one writer per encode call.
 */
final class JsonWriter {
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int MAX_DEPTH = 128;

  private byte[] buf;
  private int len;

  /** Per nesting level: true once a member/element has been written (so the next needs a comma). */
  private final boolean[] hasItem = new boolean[MAX_DEPTH];

  private int depth;
  private final boolean pretty;

  JsonWriter(int initialCapacity, boolean pretty) {
    this.buf = new byte[Math.max(64, initialCapacity)];
    this.pretty = pretty;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  int size() {
    return len;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  private void raw(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void rawAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void newline() {
    if (pretty) {
      ensure(1 + 2 * depth);
      buf[len++] = '\n';
      for (int i = 0; i < depth; i++) {
        buf[len++] = ' ';
        buf[len++] = ' ';
      }
    }
  }

  /** Writes the comma (if needed) before a value in an array or a member in an object. */
  private void separator() {
    if (depth > 0) {
      if (hasItem[depth]) {
        raw((byte) ',');
      }
      hasItem[depth] = true;
      newline();
    }
  }

  void beginObject() {
    raw((byte) '{');
    push();
  }

  void endObject() {
    pop();
    raw((byte) '}');
  }

  void beginArray() {
    raw((byte) '[');
    push();
  }

  void endArray() {
    pop();
    raw((byte) ']');
  }

  private void push() {
    if (++depth >= MAX_DEPTH) {
      throw new IllegalStateException("JSON nesting deeper than " + MAX_DEPTH);
    }
    hasItem[depth] = false;
  }

  private void pop() {
    boolean had = hasItem[depth];
    depth--;
    if (had) {
      newline();
    }
  }

  /**
   * Starts an object member: writes {@code "name":}. The name must be plain ASCII without escapes.
   */
  JsonWriter name(String name) {
    separator();
    raw((byte) '"');
    rawAscii(name);
    raw((byte) '"');
    raw((byte) ':');
    if (pretty) {
      raw((byte) ' ');
    }
    return this;
  }

  /** Starts an object member whose name may need escapes (any text). */
  JsonWriter anyName(String name) {
    separator();
    string(name);
    raw((byte) ':');
    if (pretty) {
      raw((byte) ' ');
    }
    return this;
  }

  /** Marks the start of an array element (writes the comma when needed). */
  JsonWriter element() {
    separator();
    return this;
  }

  void string(String s) {
    int n = s.length();
    ensure(n + 2);
    buf[len++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        ensure(1);
        buf[len++] = (byte) c;
      } else if (c < 0x80) {
        escapeAscii(c);
      } else if (c < 0x800) {
        ensure(2);
        buf[len++] = (byte) (0xc0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        ensure(4);
        buf[len++] = (byte) (0xf0 | (cp >> 18));
        buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        buf[len++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        unicodeEscape(
            c); // lone surrogate: keep it representable as \\uXXXX rather than emit invalid UTF-8
      } else {
        ensure(3);
        buf[len++] = (byte) (0xe0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[len++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    ensure(1);
    buf[len++] = '"';
  }

  private void escapeAscii(char c) {
    switch (c) {
      case '"' -> rawAscii("\\\"");
      case '\\' -> rawAscii("\\\\");
      case '\n' -> rawAscii("\\n");
      case '\r' -> rawAscii("\\r");
      case '\t' -> rawAscii("\\t");
      case '\b' -> rawAscii("\\b");
      case '\f' -> rawAscii("\\f");
      default -> unicodeEscape(c);
    }
  }

  private void unicodeEscape(char c) {
    ensure(6);
    buf[len++] = '\\';
    buf[len++] = 'u';
    buf[len++] = HEX[(c >> 12) & 0xf];
    buf[len++] = HEX[(c >> 8) & 0xf];
    buf[len++] = HEX[(c >> 4) & 0xf];
    buf[len++] = HEX[c & 0xf];
  }

  /** A 32-bit integer as a JSON number. */
  void number(int v) {
    rawAscii(Integer.toString(v));
  }

  /** An unsigned 32-bit integer (uint32/fixed32) as a JSON number. */
  void unsignedNumber(int v) {
    rawAscii(Integer.toUnsignedString(v));
  }

  /** A signed 64-bit integer as a decimal string, as the proto3 JSON mapping requires. */
  /** A 64-bit integer as a plain JSON number. */
  void int64(long v) {
    rawAscii(Long.toString(v));
  }

  void nullValue() {
    rawAscii("null");
  }

  void int64String(long v) {
    raw((byte) '"');
    rawAscii(Long.toString(v));
    raw((byte) '"');
  }

  /** An unsigned 64-bit integer (uint64/fixed64) as a decimal string. */
  void uint64String(long v) {
    raw((byte) '"');
    rawAscii(Long.toUnsignedString(v));
    raw((byte) '"');
  }

  /**
   * A double: a JSON number, or the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
   */
  void number(double v) {
    if (Double.isNaN(v)) {
      rawAscii("\"NaN\"");
    } else if (Double.isInfinite(v)) {
      rawAscii(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      rawAscii(
          Long.toString((long) v)); // integral values print without ".0" (as Go's protojson does)
      if (v == 0 && 1 / v < 0) {
        len--; // "0" -> "-0"
        rawAscii("-0");
      }
    } else {
      rawAscii(Double.toString(v));
    }
  }

  void bool(boolean v) {
    rawAscii(v ? "true" : "false");
  }

  /** Bytes as lowercase hex in quotes (trace and span ids). */
  void hex(ByteString b) {
    int n = b.size();
    ensure(2 * n + 2);
    buf[len++] = '"';
    for (int i = 0; i < n; i++) {
      int x = b.byteAt(i) & 0xff;
      buf[len++] = HEX[x >> 4];
      buf[len++] = HEX[x & 0xf];
    }
    buf[len++] = '"';
  }

  /** Bytes as standard base64 with padding, in quotes. */
  void base64(ByteString b) {
    byte[] enc = Base64.getEncoder().encode(b.toByteArray());
    ensure(enc.length + 2);
    buf[len++] = '"';
    System.arraycopy(enc, 0, buf, len, enc.length);
    len += enc.length;
    buf[len++] = '"';
  }
}
