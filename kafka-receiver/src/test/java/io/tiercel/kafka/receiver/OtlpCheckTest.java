package io.tiercel.kafka.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.profiles.v1development.Profile;
import io.opentelemetry.proto.profiles.v1development.ProfilesData;
import io.opentelemetry.proto.profiles.v1development.ResourceProfiles;
import io.opentelemetry.proto.profiles.v1development.ScopeProfiles;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.consumer.PermanentException;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.WireFormat;
import io.tiercel.testing.TestData;
import io.tiercel.testing.TestProfiles;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OtlpCheckTest {
  private static final byte[] TRACES = TestData.traces(5, 4, 1).bytes();
  private static final byte[] METRICS = TestData.metrics(3, 5, 2).bytes();
  private static final byte[] LOGS = TestData.logs(7, 3).bytes();

  @Test
  void countsItemsLikeTheCoreWalk() {
    assertThat(OtlpCheck.check(Signal.TRACES, TRACES))
        .isEqualTo(20)
        .isEqualTo(WireFormat.countItems(Signal.TRACES, TRACES));
    assertThat(OtlpCheck.check(Signal.METRICS, METRICS))
        .isEqualTo(WireFormat.countItems(Signal.METRICS, METRICS))
        .isEqualTo(15);
    assertThat(OtlpCheck.check(Signal.LOGS, LOGS)).isEqualTo(7);
    assertThat(OtlpCheck.check(Signal.TRACES, new byte[0])).isZero();
  }

  @Test
  void rejectsEveryOtherSignal() {
    assertThatThrownBy(() -> OtlpCheck.check(Signal.TRACES, LOGS))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP traces request: span field 1 has wire type 1, expected 2");
    assertThatThrownBy(() -> OtlpCheck.check(Signal.TRACES, METRICS))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("not an OTLP traces request: span ");
    assertThatThrownBy(() -> OtlpCheck.check(Signal.LOGS, TRACES))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP logs request: log record field 1 has wire type 2, expected 1");
    assertThatThrownBy(() -> OtlpCheck.check(Signal.LOGS, METRICS))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP logs request: log record field 1 has wire type 2, expected 1");
    assertThatThrownBy(() -> OtlpCheck.check(Signal.METRICS, TRACES))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP metrics request: metric field 7 has wire type 1, expected 2");
    assertThatThrownBy(() -> OtlpCheck.check(Signal.METRICS, LOGS))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP metrics request: metric field 1 has wire type 1, expected 2");
  }

  @Test
  void profilesCountSamplesAndAreToldFromOtherSignals() {
    byte[] profiles = TestProfiles.profilesData(4, 6, 5).toByteArray();
    assertThat(OtlpCheck.check(Signal.PROFILES, profiles))
        .isEqualTo(24)
        .isEqualTo(WireFormat.countItems(Signal.PROFILES, profiles));
    assertThatThrownBy(() -> OtlpCheck.check(Signal.PROFILES, LOGS))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP profiles request: profile field 1 has wire type 1, expected 2");
    assertThatThrownBy(() -> OtlpCheck.check(Signal.PROFILES, TRACES))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("not an OTLP profiles request: profile ");
    byte[] shortId =
        ProfilesData.newBuilder()
            .addResourceProfiles(
                ResourceProfiles.newBuilder()
                    .addScopeProfiles(
                        ScopeProfiles.newBuilder()
                            .addProfiles(
                                Profile.newBuilder()
                                    .setProfileId(ByteString.copyFrom(new byte[8])))))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> OtlpCheck.check(Signal.PROFILES, shortId))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP profiles request: profile profile_id has 8 bytes, expected 16");
  }

  @Test
  void rejectsGarbageAndTruncation() {
    assertThatThrownBy(
            () -> OtlpCheck.check(Signal.TRACES, Arrays.copyOf(TRACES, TRACES.length - 3)))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("not an OTLP traces request: ");
    byte[] garbage =
        "this is not protobuf at all, just text"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> OtlpCheck.check(Signal.TRACES, garbage))
        .isInstanceOf(PermanentException.class)
        .hasMessageStartingWith("not an OTLP traces request: ");
  }

  @Test
  void checksIdLengths() {
    byte[] b =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .addSpans(
                                Span.newBuilder()
                                    .setTraceId(ByteString.copyFrom(new byte[15]))
                                    .setSpanId(ByteString.copyFrom(new byte[8]))
                                    .setName("x"))))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> OtlpCheck.check(Signal.TRACES, b))
        .isInstanceOf(PermanentException.class)
        .hasMessage("not an OTLP traces request: span trace_id has 15 bytes, expected 16");
  }
}
