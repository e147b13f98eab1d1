package io.tiercel.distributions;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** OpenTelemetry SDK helpers shared by the distribution tests that generate traces with the SDK. */
public final class SdkSpans {
  private SdkSpans() {}

  /** A span processor that adds every ended span to {@code into} (on the thread that ends it). */
  public static SpanProcessor collectInto(List<SpanData> into) {
    return new SpanProcessor() {
      @Override
      public void onStart(Context parentContext, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        into.add(span.toSpanData());
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
  }
}
