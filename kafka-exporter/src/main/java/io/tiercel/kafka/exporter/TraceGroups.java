package io.tiercel.kafka.exporter;

/**
 * Trace id (two longs) to group number, open addressing with linear probing: no object per trace or
 * per lookup (a {@code HashMap} of id records cost an id, a boxed group and a node per trace, and
 * record equality).
 */
final class TraceGroups {
  private long[] his = new long[64];
  private long[] los = new long[64];
  private int[] groups = new int[64]; // group + 1; 0 = empty slot
  private int size;

  /** The group of {@code (hi, lo)}, or -1. */
  int get(long hi, long lo) {
    int mask = groups.length - 1;
    for (int i = slot(hi, lo) & mask; ; i = (i + 1) & mask) {
      int g = groups[i];
      if (g == 0) {
        return -1;
      }
      if (his[i] == hi && los[i] == lo) {
        return g - 1;
      }
    }
  }

  /** Adds {@code (hi, lo)}, which is not present, as {@code group}. */
  void put(long hi, long lo, int group) {
    if (2 * (size + 1) > groups.length) {
      grow();
    }
    insert(hi, lo, group + 1);
    size++;
  }

  private void insert(long hi, long lo, int groupPlusOne) {
    int mask = groups.length - 1;
    int i = slot(hi, lo) & mask;
    while (groups[i] != 0) {
      i = (i + 1) & mask;
    }
    his[i] = hi;
    los[i] = lo;
    groups[i] = groupPlusOne;
  }

  private void grow() {
    long[] oh = his;
    long[] ol = los;
    int[] og = groups;
    his = new long[og.length * 2];
    los = new long[og.length * 2];
    groups = new int[og.length * 2];
    for (int i = 0; i < og.length; i++) {
      if (og[i] != 0) {
        insert(oh[i], ol[i], og[i]);
      }
    }
  }

  private static int slot(long hi, long lo) {
    long h =
        (hi ^ Long.rotateLeft(lo, 32))
            * 0x9E3779B97F4A7C15L; // trace ids are random: mix, take high bits
    return (int) (h >>> 32);
  }
}
