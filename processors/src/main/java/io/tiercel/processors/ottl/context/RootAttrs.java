package io.tiercel.processors.ottl.context;

import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Values;
import java.util.Map;
import java.util.function.Function;

/**
 * A whole attribute map (a path such as {@code attributes} without keys): map editors work on its
 * list directly instead of converting it to a map and back.
 */
public final class RootAttrs implements Accessor {
  private final Function<CurrentItem, Object> owner;

  public RootAttrs(Function<CurrentItem, Object> owner) {
    this.owner = owner;
  }

  /** The message or builder that holds the attribute list. */
  public Object owner(CurrentItem c) {
    return owner.apply(c);
  }

  @Override
  public Object get(CurrentItem c) {
    return Values.fromKeyValues(Attrs.list(owner.apply(c)));
  }

  @Override
  public void set(CurrentItem c, Object v) {
    if (v instanceof Map<?, ?> m) {
      Attrs.replace(owner.apply(c), Values.toKeyValues(m));
    }
  }
}
