package io.tiercel.processors.transform;

import io.tiercel.processors.ottl.Group;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A signal's statement entries as written, carrying the groups they compiled to with their options.
 * The elements are the entries as written (equality and the printed config see only them, as with
 * {@link io.tiercel.processors.ottl.CompiledEntries}); both compiled views are built once.
 */
final class CompiledGroups extends AbstractList<Object> implements RandomAccess {
  private final List<Object> written;
  private final List<TransformGroup> compiled;
  private final List<Group> groups;

  CompiledGroups(List<Object> written, List<TransformGroup> compiled) {
    this.written = List.copyOf(written);
    this.compiled = List.copyOf(compiled);
    this.groups = compiled.stream().map(TransformGroup::group).toList();
  }

  @Override
  public Object get(int index) {
    return written.get(index);
  }

  @Override
  public int size() {
    return written.size();
  }

  List<TransformGroup> compiled() {
    return compiled;
  }

  List<Group> groups() {
    return groups;
  }
}
