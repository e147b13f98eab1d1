package io.tiercel.core.pdata;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A copy of {@code io.tiercel.testing.Mutations} for this module, which the testing module depends
 * on. Seeded mutations of serialized requests, the shapes a broken client, proxy or fuzzer sends:
 * truncation, a splice of two cuts, bit flips, a run of random bytes over the body, a byte inserted
 * or removed. Deterministic for a seed, so a failing mutation can be replayed.
 */
final class Mutations {
  private Mutations() {}

  /** One mutation of {@code base} (not modified), chosen by {@code rnd}. */
  static byte[] mutate(byte[] base, SplittableRandom rnd) {
    if (base.length < 2) {
      return new byte[] {(byte) rnd.nextInt(256)};
    }
    byte[] m = base.clone();
    switch (rnd.nextInt(6)) {
      case 0 -> {
        return Arrays.copyOf(base, rnd.nextInt(base.length)); // truncation
      }
      case 1 -> {
        // splice: a prefix, then the bytes from another offset on
        int cut = rnd.nextInt(base.length);
        int from = rnd.nextInt(base.length);
        byte[] s = Arrays.copyOf(base, cut + base.length - from);
        System.arraycopy(base, from, s, cut, base.length - from);
        return s;
      }
      case 2 -> {
        int flips = 1 + rnd.nextInt(4);
        for (int i = 0; i < flips; i++) {
          m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return m;
      }
      case 3 -> {
        int at = rnd.nextInt(m.length);
        int n = Math.min(m.length - at, 1 + rnd.nextInt(16));
        for (int i = 0; i < n; i++) {
          m[at + i] = (byte) rnd.nextInt(256);
        }
        return m;
      }
      case 4 -> {
        int at = rnd.nextInt(base.length + 1);
        byte[] s = new byte[base.length + 1];
        System.arraycopy(base, 0, s, 0, at);
        s[at] = (byte) rnd.nextInt(256);
        System.arraycopy(base, at, s, at + 1, base.length - at);
        return s;
      }
      default -> {
        int at = rnd.nextInt(base.length);
        byte[] s = new byte[base.length - 1];
        System.arraycopy(base, 0, s, 0, at);
        System.arraycopy(base, at + 1, s, at, base.length - at - 1);
        return s;
      }
    }
  }
}
