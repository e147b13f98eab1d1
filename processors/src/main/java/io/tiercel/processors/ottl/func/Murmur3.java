package io.tiercel.processors.ottl.func;

/**
 * MurmurHash3 (x86 32-bit and x64 128-bit, seed 0), written from Austin Appleby's public-domain
 * reference; the collector's Murmur3Hash converters print these little-endian in hex.
 */
final class Murmur3 {
  private static final int C1_32 = 0xcc9e2d51;
  private static final int C2_32 = 0x1b873593;
  private static final long C1_128 = 0x87c37b91114253d5L;
  private static final long C2_128 = 0x4cf5ad432745937fL;

  private Murmur3() {}

  /** The 32-bit hash of {@code data}. */
  static int hash32(byte[] data) {
    int h = 0;
    int n = data.length / 4 * 4;
    for (int i = 0; i < n; i += 4) {
      h ^= mix32(intLe(data, i));
      h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
    }
    int k = 0;
    switch (data.length & 3) {
      case 3:
        k ^= (data[n + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[n + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[n] & 0xff;
        h ^= mix32(k);
        break;
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int mix32(int k) {
    k *= C1_32;
    k = Integer.rotateLeft(k, 15);
    return k * C2_32;
  }

  /** The 128-bit hash of {@code data} as its two 64-bit halves {h1, h2}. */
  static long[] hash128(byte[] data) {
    long h1 = 0;
    long h2 = 0;
    int n = data.length / 16 * 16;
    for (int i = 0; i < n; i += 16) {
      h1 ^= mixK1(longLe(data, i, 8));
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(longLe(data, i + 8, 8));
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int rest = data.length - n;
    if (rest > 8) {
      h2 ^= mixK2(longLe(data, n + 8, rest - 8));
    }
    if (rest > 0) {
      h1 ^= mixK1(longLe(data, n, Math.min(rest, 8)));
    }
    h1 ^= data.length;
    h2 ^= data.length;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    h2 += h1;
    return new long[] {h1, h2};
  }

  private static long mixK1(long k) {
    k *= C1_128;
    k = Long.rotateLeft(k, 31);
    return k * C2_128;
  }

  private static long mixK2(long k) {
    k *= C2_128;
    k = Long.rotateLeft(k, 33);
    return k * C1_128;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  private static int intLe(byte[] b, int i) {
    return (b[i] & 0xff)
        | (b[i + 1] & 0xff) << 8
        | (b[i + 2] & 0xff) << 16
        | (b[i + 3] & 0xff) << 24;
  }

  /** {@code len} (1 to 8) bytes from {@code i}, little-endian. */
  private static long longLe(byte[] b, int i, int len) {
    long v = 0;
    for (int j = len - 1; j >= 0; j--) {
      v = v << 8 | (b[i + j] & 0xff);
    }
    return v;
  }

  /** {@code v}'s {@code n} low bytes, least significant first, as lower-case hex. */
  static String hexLe(long v, int n) {
    StringBuilder sb = new StringBuilder(n * 2);
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02x", (v >>> (8 * i)) & 0xff));
    }
    return sb.toString();
  }
}
