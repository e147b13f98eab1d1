/**
 * The {@code tiercel} command line ({@code run}, {@code validate}, {@code components}, {@code
 * print-config}).
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.cli;
