/**
 * OTTL syntax: the {@link io.tiercel.processors.ottl.grammar.Lexer}, the recursive-descent {@link
 * io.tiercel.processors.ottl.grammar.Parser} and the syntax tree ({@link
 * io.tiercel.processors.ottl.grammar.Ast}) it builds, with 1-based columns for error messages.
 * Knows nothing of paths, contexts or functions; depends only on the value model (literals are
 * values).
 */
@NullMarked
package io.tiercel.processors.ottl.grammar;

import org.jspecify.annotations.NullMarked;
