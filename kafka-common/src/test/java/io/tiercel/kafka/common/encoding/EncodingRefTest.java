package io.tiercel.kafka.common.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.core.component.ComponentId;
import io.tiercel.core.component.Extension;
import io.tiercel.core.component.Kind;
import io.tiercel.core.component.Settings;
import io.tiercel.core.config.ConfigBinder;
import io.tiercel.core.config.ConfigError;
import io.tiercel.core.pdata.Signal;
import io.tiercel.kafka.common.encoding.ext.OtlpEncodingFactory;
import io.tiercel.kafka.common.encoding.ext.ZipkinEncodingFactory;
import io.tiercel.testing.component.TestHost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncodingRefTest {
  record Holder(EncodingRef encoding) {}

  private static final ComponentId ZIPKIN = ComponentId.parse("zipkin_encoding/v2");
  private static final ComponentId HEALTH = ComponentId.parse("health_check");

  private static Extension zipkinJson() {
    ZipkinEncodingFactory f = new ZipkinEncodingFactory();
    return f.create(
        Settings.forTest(Kind.EXTENSION, ZIPKIN, null),
        new ZipkinEncodingFactory.Config(
            ZipkinEncodingFactory.Protocol.ZIPKIN_JSON, ZipkinEncodingFactory.Version.V2));
  }

  @Test
  void builtInNamesAndAliasesAreCodecsAndAnythingShapedLikeAnIdIsAnExtension() {
    assertThat(EncodingRef.parse("otlp_json").builtIn()).isEqualTo(RecordEncoding.OTLP_JSON);
    assertThat(EncodingRef.parse("protobuf")).isEqualTo(EncodingRef.of(RecordEncoding.OTLP_PROTO));
    assertThat(EncodingRef.parse("zipkin_thrift").builtIn())
        .isEqualTo(RecordEncoding.ZIPKIN_THRIFT);
    EncodingRef ext = EncodingRef.parse("zipkin_encoding/v2");
    assertThat(ext.builtIn()).isNull();
    assertThat(ext.extensionId()).isEqualTo(ZIPKIN);
    assertThat(ext).hasToString("zipkin_encoding/v2");
    assertThat(ext.mayRead(Signal.LOGS)).isTrue();
    assertThat(EncodingRef.parse("zipkin_json").mayRead(Signal.LOGS)).isFalse();
    // v1 JSON is the zipkin_encoding extension's (version: v1), not a name of the collector's
    assertThat(EncodingRef.parse("zipkin_json_v1").builtIn()).isNull();
  }

  @Test
  void theBinderReadsAndRendersIt() {
    List<ConfigError> errors = new ArrayList<>();
    Holder h =
        ConfigBinder.bind(
            Holder.class,
            new Holder(EncodingRef.of(RecordEncoding.OTLP_PROTO)),
            Map.of("encoding", "otlp_encoding/json"),
            "exporters.kafka",
            errors);
    assertThat(errors).isEmpty();
    assertThat(h.encoding().extensionId()).isEqualTo(ComponentId.parse("otlp_encoding/json"));
    assertThat(ConfigBinder.toTree(h)).isEqualTo(Map.of("encoding", "otlp_encoding/json"));

    ConfigBinder.bind(
        Holder.class,
        new Holder(EncodingRef.of(RecordEncoding.OTLP_PROTO)),
        Map.of("encoding", "otlp json"),
        "exporters.kafka",
        errors);
    assertThat(errors)
        .extracting(ConfigError::toString)
        .singleElement()
        .asString()
        .startsWith(
            "exporters.kafka.encoding: \"otlp json\" is not one of otlp_proto, otlp_json,"
                + " zipkin_proto, zipkin_json, zipkin_thrift, raw, json, text, text_<encoding>,"
                + " protobuf, nor an encoding extension id (");
  }

  @Test
  void anExtensionResolvesAtStartOrTheErrorNamesThePlace() {
    TestHost host =
        TestHost.withExtensions(
            Map.of(
                ZIPKIN,
                zipkinJson(),
                HEALTH,
                new Extension() {
                  @Override
                  public void start(io.tiercel.core.component.Host host) {}

                  @Override
                  public void shutdown(io.tiercel.core.component.Deadline deadline) {}
                }));
    String place = "receivers.kafka.traces.encoding";
    assertThat(EncodingRef.extension(ZIPKIN).codec(host, place, Signal.TRACES, false))
        .isEqualTo(RecordEncoding.ZIPKIN_JSON);
    assertThatThrownBy(
            () ->
                EncodingRef.extension(ZIPKIN)
                    .codec(host, "receivers.kafka.logs.encoding", Signal.LOGS, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "receivers.kafka.logs.encoding: encoding \"zipkin_encoding/v2\" cannot read logs");
    assertThatThrownBy(
            () ->
                EncodingRef.parse("per_signal_encoding")
                    .codec(host, "exporters.kafka.logs.encoding", Signal.LOGS, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "exporters.kafka.logs.encoding: \"per_signal_encoding\" is not a configured encoding"
                + " extension (add it under extensions and service.extensions)");
    assertThatThrownBy(() -> EncodingRef.extension(HEALTH).codec(host, place, Signal.TRACES, false))
        .hasMessage(place + ": extension \"health_check\" is not an encoding extension");
    assertThat(
            EncodingRef.of(RecordEncoding.OTLP_JSON)
                .codec(TestHost.create(), place, Signal.TRACES, true))
        .isEqualTo(RecordEncoding.OTLP_JSON);
  }

  @Test
  void theExtensionFactoriesSelectTheCodecTheirProtocolNames() {
    OtlpEncodingFactory otlp = new OtlpEncodingFactory();
    assertThat(otlp.type()).isEqualTo("otlp_encoding");
    assertThat(otlp.codec(otlp.createDefaultConfig())).isEqualTo(RecordEncoding.OTLP_PROTO);
    assertThat(otlp.codec(new OtlpEncodingFactory.Config(OtlpEncodingFactory.Protocol.OTLP_JSON)))
        .isEqualTo(RecordEncoding.OTLP_JSON);
    ZipkinEncodingFactory zipkin = new ZipkinEncodingFactory();
    assertThat(zipkin.type()).isEqualTo("zipkin_encoding");
    assertThat(zipkin.codec(zipkin.createDefaultConfig())).isEqualTo(RecordEncoding.ZIPKIN_PROTO);
    assertThat(
            zipkin.codec(
                new ZipkinEncodingFactory.Config(
                    ZipkinEncodingFactory.Protocol.ZIPKIN_JSON, ZipkinEncodingFactory.Version.V1)))
        .isEqualTo(RecordEncoding.ZIPKIN_JSON_V1);
    assertThat(RecordEncoding.ZIPKIN_JSON_V1.writes(Signal.TRACES)).isFalse();
    assertThat(
            zipkin.codec(
                new ZipkinEncodingFactory.Config(
                    ZipkinEncodingFactory.Protocol.ZIPKIN_THRIFT,
                    ZipkinEncodingFactory.Version.V2)))
        .isEqualTo(RecordEncoding.ZIPKIN_THRIFT);
  }
}
