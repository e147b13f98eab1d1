package io.tiercel.processors.tailsampling;

import java.util.ArrayList;
import java.util.List;

/**
 * The span tests of one processor's policies, each with its bit in the trace summaries (up to 64; a
 * test past that has no bit and is answered from the parsed spans at decision time).
 */
final class SpanTests {
  static final int MAX = 64;

  private final List<SpanTest> tests = new ArrayList<>();

  /** Registers {@code t} (given its bit when there is one left) and returns it. */
  SpanTest add(SpanTest t) {
    if (tests.size() < MAX) {
      t.register(this, tests.size());
      tests.add(t);
    }
    return t;
  }

  List<SpanTest> all() {
    return tests;
  }
}
