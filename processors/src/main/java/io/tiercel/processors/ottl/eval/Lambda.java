package io.tiercel.processors.ottl.eval;

import org.jspecify.annotations.Nullable;

/**
 * A compiled lambda argument, {@code (k, v) => body}: applying it puts the arguments into the
 * parameters' slots of the current item and evaluates the body there. Each parameter of a compiled
 * statement has a slot of its own, so a lambda nested in another still reads the outer one's
 * parameters. Immutable; evaluation is as thread-safe as the item it runs on.
 */
public final class Lambda {
  private final int[] slots;
  private final Getter body;

  /**
   * @param slots the slot of each parameter in order, -1 for one named {@code _}
   * @param body the compiled body
   */
  public Lambda(int[] slots, Getter body) {
    this.slots = slots.clone();
    this.body = body;
  }

  /** The number of parameters. */
  public int arity() {
    return slots.length;
  }

  /** The body's value with the parameters bound to {@code args} (one per parameter). */
  public @Nullable Object apply(CurrentItem c, @Nullable Object... args) {
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] >= 0) {
        c.lambdaArg(slots[i], args[i]);
      }
    }
    return body.get(c);
  }
}
