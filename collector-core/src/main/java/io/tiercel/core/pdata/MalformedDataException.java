package io.tiercel.core.pdata;

/**
 * Bytes that are not a well-formed OTLP message of the signal they were handed over as. The same
 * bytes will never parse, so the stages that classify failures ({@code
 * io.tiercel.core.consumer.PipelineException#classify}) treat it as permanent.
 */
public final class MalformedDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
