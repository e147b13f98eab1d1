/**
 * The {@code tiercel} command line ({@code run}, {@code validate}, {@code components}, {@code
 * print-config}).
 */
package io.tiercel.core.cli;
