/** Fuzz targets (Jazzer) of the decoders and parsers that read what users and peers send. */
@org.jspecify.annotations.NullMarked
package io.tiercel.core.fuzz;
