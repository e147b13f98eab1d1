package io.tiercel.processors.ottl.eval;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * An OTTL byte-slice value (trace and span ids, bytes attributes); immutable, compared by content.
 */
public final class Bytes implements Comparable<Bytes> {
  private final byte[] data;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** Wraps a copy of {@code data}. */
  public static Bytes of(byte[] data) {
    return new Bytes(data.clone());
  }

  /** Wraps {@code data} without copying: the caller hands it over and must not change it. */
  public static Bytes wrap(byte[] data) {
    return new Bytes(data);
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return data.clone();
  }

  /** The bytes themselves, not a copy: callers must not change them. */
  public byte[] raw() {
    return data;
  }

  /** Number of bytes. */
  public int length() {
    return data.length;
  }

  /** Lowercase hex. */
  public String hex() {
    StringBuilder sb = new StringBuilder(data.length * 2);
    for (byte b : data) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  /** Parses lowercase or uppercase hex; null when {@code hex} is not an even run of hex digits. */
  public static @Nullable Bytes parseHex(String hex) {
    if (hex.length() % 2 != 0) {
      return null;
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return new Bytes(out);
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Bytes b && Arrays.equals(b.data, data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "0x" + hex();
  }
}
