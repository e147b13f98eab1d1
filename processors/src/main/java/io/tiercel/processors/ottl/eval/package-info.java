/**
 * What compiled OTTL runs on: the value model ({@link io.tiercel.processors.ottl.eval.Values},
 * {@link io.tiercel.processors.ottl.eval.Bytes}) with its operators and indexing, the current item
 * a statement is evaluated on ({@link io.tiercel.processors.ottl.eval.CurrentItem}), and the
 * compiled forms every other OTTL package produces or consumes ({@link
 * io.tiercel.processors.ottl.eval.Getter}, {@link io.tiercel.processors.ottl.eval.Accessor}, {@link
 * io.tiercel.processors.ottl.eval.BoolExpr}). It depends on no other OTTL package.
 */
@NullMarked
package io.tiercel.processors.ottl.eval;

import org.jspecify.annotations.NullMarked;
