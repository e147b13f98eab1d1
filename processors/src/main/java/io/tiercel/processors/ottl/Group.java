package io.tiercel.processors.ottl;

import io.tiercel.processors.ottl.context.OttlContext;
import io.tiercel.processors.ottl.eval.CurrentItem;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Statements that run in one context, guarded by conditions (the statements run on an item when
 * there are no conditions or any of them is true), with their error mode. Immutable, thread-safe.
 */
public final class Group {
  private final OttlContext context;
  private final List<Condition> conditions;
  private final List<Statement> statements;
  private final @Nullable ErrorMode errorMode;

  Group(
      OttlContext context,
      List<Condition> conditions,
      List<Statement> statements,
      @Nullable ErrorMode errorMode) {
    this.context = context;
    this.conditions = List.copyOf(conditions);
    this.statements = List.copyOf(statements);
    this.errorMode = errorMode;
  }

  /** The context the group walks the data at. */
  public OttlContext context() {
    return context;
  }

  /** The guard conditions (ORed; none means always). */
  public List<Condition> conditions() {
    return conditions;
  }

  /** The statements, in order. */
  public List<Statement> statements() {
    return statements;
  }

  /**
   * What a failing statement or condition does; null when the config does not say, so the
   * processor's default (chosen by feature gates when the processor is built) applies.
   */
  public @Nullable ErrorMode errorMode() {
    return errorMode;
  }

  /**
   * Runs the group on the item in {@code c}; failures are handled by {@code errors} according to
   * the error mode.
   *
   * @throws io.tiercel.core.consumer.PermanentException when a statement fails and the mode is
   *     propagate
   */
  public void run(CurrentItem c, Errors errors) {
    if (!conditions.isEmpty()) {
      boolean any = false;
      for (Condition cond : conditions) {
        try {
          if (cond.test(c)) {
            any = true;
            break;
          }
        } catch (RuntimeException e) {
          errors.failed(errorMode, "condition", cond.text(), e);
        }
      }
      if (!any) {
        return;
      }
    }
    for (Statement st : statements) {
      try {
        st.execute(c);
      } catch (RuntimeException e) {
        errors.failed(errorMode, "statement", st.text(), e);
      }
    }
  }
}
