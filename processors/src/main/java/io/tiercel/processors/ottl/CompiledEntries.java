package io.tiercel.processors.ottl;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Config entries as written, carrying what they compiled to. The elements of this unmodifiable list
 * are the entries as written: equality, hash code and the printed config see only them, so a config
 * record that compiles its OTTL once while it is bound still binds back equal from its printed
 * form; {@link #compiled()} is what the processor runs, without compiling again.
 *
 * @param <E> the type of an entry as written
 * @param <C> the compiled form
 */
public final class CompiledEntries<E, C> extends AbstractList<E> implements RandomAccess {
  private final List<E> written;
  private final List<C> compiled;

  /** The entries {@code written} and what they compiled to. */
  public CompiledEntries(List<? extends E> written, List<C> compiled) {
    this.written = List.copyOf(written);
    this.compiled = List.copyOf(compiled);
  }

  @Override
  public E get(int index) {
    return written.get(index);
  }

  @Override
  public int size() {
    return written.size();
  }

  /** What the entries compiled to. */
  public List<C> compiled() {
    return compiled;
  }
}
