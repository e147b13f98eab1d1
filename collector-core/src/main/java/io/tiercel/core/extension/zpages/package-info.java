/**
 * The {@code zpages} extension: the collector's zPages ({@code /debug/servicez}, {@code
 * /debug/pipelinez}, {@code /debug/extensionz}, {@code /debug/featurez}) and Tiercel's live status
 * page at {@code /} with the JSON behind it at {@code /api/status}, served from the jar.
 */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.extension.zpages;
