package io.tiercel.core.pdata.json;

import java.nio.charset.StandardCharsets;

/**
 * A small pull parser over UTF-8 JSON bytes (RFC 8259, strict: no comments, no trailing commas, no
 * single quotes). Errors carry the line, column and offset. Not thread-safe.
 */
final class JsonReader {
  enum Token {
    BEGIN_OBJECT,
    END_OBJECT,
    BEGIN_ARRAY,
    END_ARRAY,
    STRING,
    NUMBER,
    TRUE,
    FALSE,
    NULL,
    END
  }

  private static final int MAX_DEPTH = 128;

  private final byte[] buf;
  private final int start;
  private final int end;
  private int pos;
  private int depth;

  /** Per nesting level: true until the first member/element was read. */
  private final boolean[] first = new boolean[MAX_DEPTH + 1];

  private final boolean[] isObject = new boolean[MAX_DEPTH + 1];
  private StringBuilder scratch;

  JsonReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.start = offset;
    this.pos = offset;
    this.end = offset + length;
    if (length >= 3
        && (buf[offset] & 0xff) == 0xef
        && (buf[offset + 1] & 0xff) == 0xbb
        && (buf[offset + 2] & 0xff) == 0xbf) {
      pos += 3; // UTF-8 byte order mark
    }
  }

  /**
   * The position of the next significant byte (for error messages about the value about to be
   * read).
   */
  int position() {
    skipWs();
    return pos;
  }

  OtlpJsonException error(String problem) {
    return errorAt(problem, Math.min(pos, end));
  }

  /**
   * An error at absolute index {@code at}; line, column and offset are reported relative to the
   * input's start.
   */
  OtlpJsonException errorAt(String problem, int at) {
    int line = 1;
    int lineStart = start;
    for (int i = start; i < at && i < end; i++) {
      if (buf[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new OtlpJsonException(problem, at - start, line, at - lineStart + 1);
  }

  private void skipWs() {
    while (pos < end) {
      byte c = buf[pos];
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
        pos++;
      } else {
        return;
      }
    }
  }

  Token peek() {
    skipWs();
    if (pos >= end) {
      return Token.END;
    }
    return switch (buf[pos]) {
      case '{' -> Token.BEGIN_OBJECT;
      case '}' -> Token.END_OBJECT;
      case '[' -> Token.BEGIN_ARRAY;
      case ']' -> Token.END_ARRAY;
      case '"' -> Token.STRING;
      case 't' -> Token.TRUE;
      case 'f' -> Token.FALSE;
      case 'n' -> Token.NULL;
      case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> Token.NUMBER;
      default -> throw error(describe(buf[pos]) + " is not the start of a JSON value");
    };
  }

  private static String describe(byte b) {
    int c = b & 0xff;
    return c >= 0x20 && c < 0x7f
        ? "unexpected character '" + (char) c + "'"
        : "unexpected byte 0x" + Integer.toHexString(c);
  }

  private void expect(byte c, String what) {
    skipWs();
    if (pos >= end) {
      throw error("unexpected end of input, expected " + what);
    }
    if (buf[pos] != c) {
      throw error(describe(buf[pos]) + ", expected " + what);
    }
    pos++;
  }

  void beginObject() {
    expect((byte) '{', "'{'");
    push(true);
  }

  void beginArray() {
    expect((byte) '[', "'['");
    push(false);
  }

  private void push(boolean object) {
    if (++depth > MAX_DEPTH) {
      throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
    }
    first[depth] = true;
    isObject[depth] = object;
  }

  void endObject() {
    expect((byte) '}', "',' or '}'");
    depth--;
  }

  void endArray() {
    expect((byte) ']', "',' or ']'");
    depth--;
  }

  /**
   * True when the current object/array has another member/element; consumes the separating comma.
   */
  boolean hasNext() {
    skipWs();
    if (pos >= end) {
      throw error("unexpected end of input inside " + (isObject[depth] ? "an object" : "an array"));
    }
    byte c = buf[pos];
    byte close = isObject[depth] ? (byte) '}' : (byte) ']';
    if (c == close) {
      if (!first[depth] && buf[lastSignificant()] == ',') {
        throw errorAt("trailing comma", lastSignificant());
      }
      return false;
    }
    if (!first[depth]) {
      if (c != ',') {
        throw error(describe(c) + ", expected ',' or '" + (char) close + "'");
      }
      pos++;
      skipWs();
      if (pos < end && buf[pos] == close) {
        throw errorAt("trailing comma", pos - 1);
      }
    }
    first[depth] = false;
    return true;
  }

  private int lastSignificant() {
    int i = pos - 1;
    while (i > start && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')) {
      i--;
    }
    return i;
  }

  /** Reads a member name and its colon. */
  String nextName() {
    skipWs();
    if (pos >= end || buf[pos] != '"') {
      throw pos >= end
          ? error("unexpected end of input, expected a member name")
          : error(describe(buf[pos]) + ", expected a member name in double quotes");
    }
    String name = readString();
    expect((byte) ':', "':' after member name \"" + name + "\"");
    return name;
  }

  String nextString() {
    skipWs();
    if (pos >= end || buf[pos] != '"') {
      throw error("expected a string but found " + peekDescription());
    }
    return readString();
  }

  /** The raw text of a JSON number token, validated against the JSON grammar. */
  String nextNumber() {
    skipWs();
    int start = pos;
    if (pos < end && buf[pos] == '-') {
      pos++;
    }
    if (pos >= end || !digit(buf[pos])) {
      throw errorAt("malformed number", start);
    }
    if (buf[pos] == '0') {
      pos++;
      if (pos < end && digit(buf[pos])) {
        throw errorAt("malformed number (leading zero)", start);
      }
    } else {
      while (pos < end && digit(buf[pos])) {
        pos++;
      }
    }
    if (pos < end && buf[pos] == '.') {
      pos++;
      if (pos >= end || !digit(buf[pos])) {
        throw errorAt("malformed number", start);
      }
      while (pos < end && digit(buf[pos])) {
        pos++;
      }
    }
    if (pos < end && (buf[pos] == 'e' || buf[pos] == 'E')) {
      pos++;
      if (pos < end && (buf[pos] == '+' || buf[pos] == '-')) {
        pos++;
      }
      if (pos >= end || !digit(buf[pos])) {
        throw errorAt("malformed number", start);
      }
      while (pos < end && digit(buf[pos])) {
        pos++;
      }
    }
    if (pos < end && !delimiter(buf[pos])) {
      throw errorAt("malformed number", start);
    }
    return new String(buf, start, pos - start, StandardCharsets.ISO_8859_1);
  }

  /**
   * Consumes a plain decimal integer of at most 18 digits, given as a JSON number or a JSON string,
   * and returns it; returns {@link Long#MIN_VALUE} and consumes nothing when the next value is
   * anything else (the caller then takes the general path).
   */
  long tryPlainInteger() {
    skipWs();
    int i = pos;
    boolean quoted = i < end && buf[i] == '"';
    if (quoted) {
      i++;
    }
    boolean negative = i < end && buf[i] == '-';
    if (negative) {
      i++;
    }
    int digitsStart = i;
    long v = 0;
    while (i < end && digit(buf[i]) && i - digitsStart < 19) {
      v = v * 10 + (buf[i] - '0');
      i++;
    }
    int digits = i - digitsStart;
    if (digits == 0 || digits > 18 || (buf[digitsStart] == '0' && digits > 1)) {
      return Long.MIN_VALUE;
    }
    if (quoted) {
      if (i >= end || buf[i] != '"') {
        return Long.MIN_VALUE;
      }
      i++;
    } else if (i < end && !delimiter(buf[i])) {
      return Long.MIN_VALUE; // fraction or exponent: general path
    }
    pos = i;
    return negative ? -v : v;
  }

  boolean nextBoolean() {
    Token t = peek();
    if (t == Token.TRUE) {
      literal("true");
      return true;
    }
    if (t == Token.FALSE) {
      literal("false");
      return false;
    }
    throw error("expected true or false but found " + peekDescription());
  }

  void nextNull() {
    literal("null");
  }

  private void literal(String word) {
    skipWs();
    int start = pos;
    for (int i = 0; i < word.length(); i++) {
      if (pos >= end || buf[pos] != word.charAt(i)) {
        throw errorAt("malformed literal, expected " + word, start);
      }
      pos++;
    }
    if (pos < end && !delimiter(buf[pos])) {
      throw errorAt("malformed literal, expected " + word, start);
    }
  }

  /** Skips one value of any kind (unknown fields). */
  void skipValue() {
    switch (peek()) {
      case BEGIN_OBJECT -> {
        beginObject();
        while (hasNext()) {
          nextName();
          skipValue();
        }
        endObject();
      }
      case BEGIN_ARRAY -> {
        beginArray();
        while (hasNext()) {
          skipValue();
        }
        endArray();
      }
      case STRING -> readString();
      case NUMBER -> nextNumber();
      case TRUE, FALSE -> nextBoolean();
      case NULL -> nextNull();
      case END -> throw error("unexpected end of input, expected a value");
      default -> throw error(describe(buf[pos]) + ", expected a value");
    }
  }

  /** Fails unless only whitespace remains. */
  void endDocument() {
    skipWs();
    if (pos < end) {
      throw error(describe(buf[pos]) + " after the end of the JSON document");
    }
  }

  String peekDescription() {
    return switch (peek()) {
      case BEGIN_OBJECT -> "an object";
      case BEGIN_ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case TRUE, FALSE -> "a boolean";
      case NULL -> "null";
      case END -> "the end of input";
      case END_OBJECT -> "'}'";
      case END_ARRAY -> "']'";
    };
  }

  private static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean delimiter(byte c) {
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private String readString() {
    int start = pos; // at the opening quote
    pos++;
    int i = pos;
    boolean ascii = true;
    while (i < end) {
      byte c = buf[i];
      if (c == '"') {
        String s =
            new String(
                buf, pos, i - pos, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        pos = i + 1;
        return s;
      }
      if (c == '\\') {
        return readEscapedString(start);
      }
      if (c >= 0 && c < 0x20) {
        throw errorAt("control character in string", i);
      }
      if (c < 0) {
        ascii = false;
      }
      i++;
    }
    throw errorAt("unterminated string", start);
  }

  private String readEscapedString(int start) {
    StringBuilder sb = scratch == null ? (scratch = new StringBuilder()) : scratch;
    sb.setLength(0);
    int runStart = pos;
    while (pos < end) {
      byte c = buf[pos];
      if (c == '"') {
        sb.append(new String(buf, runStart, pos - runStart, StandardCharsets.UTF_8));
        pos++;
        return sb.toString();
      }
      if (c >= 0 && c < 0x20) {
        throw error("control character in string");
      }
      if (c != '\\') {
        pos++;
        continue;
      }
      sb.append(new String(buf, runStart, pos - runStart, StandardCharsets.UTF_8));
      if (pos + 1 >= end) {
        throw errorAt("unterminated string", start);
      }
      byte e = buf[pos + 1];
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 6 > end) {
            throw error("truncated \\u escape");
          }
          int v = 0;
          for (int k = pos + 2; k < pos + 6; k++) {
            int d = Character.digit(buf[k], 16);
            if (d < 0) {
              throw errorAt("malformed \\u escape", pos);
            }
            v = v << 4 | d;
          }
          sb.append((char) v);
          pos += 4;
        }
        default -> throw error("invalid escape '\\" + (char) (e & 0xff) + "'");
      }
      pos += 2;
      runStart = pos;
    }
    throw errorAt("unterminated string", start);
  }
}
