package io.tiercel.processors.ottl.eval;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A list literal {@code [a, b]} given for a list parameter: evaluates its elements in order, and
 * tells a function's builder how many there are (Coalesce requires one at least, as the collector's
 * arguments list does).
 */
public final class ListLiteral implements Getter {
  private final List<Getter> elements;

  public ListLiteral(List<Getter> elements) {
    this.elements = List.copyOf(elements);
  }

  /** The number of elements written. */
  public int size() {
    return elements.size();
  }

  @Override
  public @Nullable Object get(CurrentItem c) {
    List<Object> out = new ArrayList<>(elements.size());
    for (Getter g : elements) {
      out.add(g.get(c));
    }
    return out;
  }
}
