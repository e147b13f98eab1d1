package io.tiercel.processors.ottl.context;

import io.tiercel.processors.ottl.eval.Accessor;
import io.tiercel.processors.ottl.eval.CurrentItem;
import io.tiercel.processors.ottl.eval.Values;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A whole attribute map (a path such as {@code attributes} without keys): map editors work on its
 * list directly instead of converting it to a map and back.
 */
public final class RootAttrs implements Accessor {
  private final Function<CurrentItem, Object> read;
  private final Function<CurrentItem, Object> write;

  /** The attributes {@code read} holds, written through the builder {@code write} gives. */
  public RootAttrs(Function<CurrentItem, Object> read, Function<CurrentItem, Object> write) {
    this.read = read;
    this.write = write;
  }

  /** The builder that holds the attribute list, for writing (over a view: an edit). */
  public Object owner(CurrentItem c) {
    return write.apply(c);
  }

  /** The message or builder that holds the attribute list, for reading. */
  public Object readOwner(CurrentItem c) {
    return read.apply(c);
  }

  /**
   * Removes the entries whose key matches; the element is written (over a view: edited) only when
   * one does.
   */
  public void removeIf(CurrentItem c, Predicate<String> drop) {
    for (io.opentelemetry.proto.common.v1.KeyValue kv : Attrs.list(read.apply(c))) {
      if (drop.test(kv.getKey())) {
        Attrs.removeIf(write.apply(c), drop);
        return;
      }
    }
  }

  @Override
  public Object get(CurrentItem c) {
    return Values.fromKeyValues(Attrs.list(read.apply(c)));
  }

  @Override
  public void set(CurrentItem c, Object v) {
    if (v instanceof Map<?, ?> m) {
      Attrs.replace(write.apply(c), Values.toKeyValues(m));
    }
  }
}
