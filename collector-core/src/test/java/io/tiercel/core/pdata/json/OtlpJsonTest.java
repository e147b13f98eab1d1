package io.tiercel.core.pdata.json;

import static io.tiercel.core.pdata.json.RichSamples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.LogsData;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.MetricsData;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.tiercel.core.pdata.Logs;
import io.tiercel.core.pdata.Metrics;
import io.tiercel.core.pdata.Signal;
import io.tiercel.core.pdata.Traces;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpJsonTest {

  @Test
  void tracesRoundTripKeepsEveryField() {
    TracesData d = RichSamples.traces();
    byte[] json = OtlpJson.encode(d);
    assertThat(OtlpJson.decodeTraces(json)).isEqualTo(d);
    assertThat(OtlpJson.decode(Signal.TRACES, json)).isEqualTo(Traces.of(d));
    String pretty = OtlpJson.encodePretty(Traces.of(d));
    assertThat(pretty).contains("\n  \"resourceSpans\": [");
    assertThat(OtlpJson.decodeTraces(utf8(pretty))).isEqualTo(d);
  }

  @Test
  void metricsRoundTripKeepsEveryField() {
    MetricsData d = RichSamples.metrics();
    byte[] json = OtlpJson.encode(d);
    assertThat(OtlpJson.decodeMetrics(json)).isEqualTo(d);
    assertThat(OtlpJson.decodeMetrics(utf8(OtlpJson.encodePretty(Metrics.of(d))))).isEqualTo(d);
  }

  @Test
  void logsRoundTripKeepsEveryBodyKind() {
    LogsData d = RichSamples.logs();
    byte[] json = OtlpJson.encode(d);
    assertThat(OtlpJson.decodeLogs(json)).isEqualTo(d);
    assertThat(OtlpJson.decodeLogs(utf8(OtlpJson.encodePretty(Logs.of(d))))).isEqualTo(d);
  }

  @Test
  void requestTwinsHaveTheSameJson() throws Exception {
    TracesData t = RichSamples.traces();
    ExportTraceServiceRequest tr = ExportTraceServiceRequest.parseFrom(t.toByteArray());
    assertThat(OtlpJson.encode(tr)).isEqualTo(OtlpJson.encode(t));
    assertThat(OtlpJson.decodeTraceRequest(OtlpJson.encode(t))).isEqualTo(tr);
    MetricsData m = RichSamples.metrics();
    ExportMetricsServiceRequest mr = ExportMetricsServiceRequest.parseFrom(m.toByteArray());
    assertThat(OtlpJson.encode(mr)).isEqualTo(OtlpJson.encode(m));
    assertThat(OtlpJson.decodeMetricsRequest(OtlpJson.encode(m))).isEqualTo(mr);
    LogsData l = RichSamples.logs();
    ExportLogsServiceRequest lr = ExportLogsServiceRequest.parseFrom(l.toByteArray());
    assertThat(OtlpJson.encode(lr)).isEqualTo(OtlpJson.encode(l));
    assertThat(OtlpJson.decodeLogsRequest(OtlpJson.encode(l))).isEqualTo(lr);
  }

  @Test
  void encodesPipelineDataHeldAsBytes() {
    TracesData d = RichSamples.traces();
    assertThat(OtlpJson.encode(Traces.ofBytes(d.toByteArray()))).isEqualTo(OtlpJson.encode(d));
  }

  @Test
  void smallSpanHasTheSpecShape() {
    TracesData d =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(
                        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAttributes(
                                RichSamples.kv("service.name", RichSamples.str("my.service"))))
                    .addScopeSpans(
                        ScopeSpans.newBuilder()
                            .setScope(
                                io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                                    .setName("my.library")
                                    .setVersion("1.0.0"))
                            .addSpans(
                                Span.newBuilder()
                                    .setTraceId(RichSamples.TRACE_ID)
                                    .setSpanId(RichSamples.SPAN_ID)
                                    .setParentSpanId(RichSamples.PARENT_ID)
                                    .setName("I'm a server span")
                                    .setStartTimeUnixNano(1544712660000000000L)
                                    .setEndTimeUnixNano(1544712661000000000L)
                                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                    .addAttributes(
                                        RichSamples.kv(
                                            "my.span.attr", RichSamples.str("some value")))
                                    .addAttributes(
                                        RichSamples.kv(
                                            "n", AnyValue.newBuilder().setIntValue(42).build()))
                                    .setStatus(
                                        Status.newBuilder()
                                            .setCode(Status.StatusCode.STATUS_CODE_OK)))))
            .build();
    assertThat(new String(OtlpJson.encode(d), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"my.service\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"my.library\","
                + "\"version\":\"1.0.0\"},\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
                + "\"spanId\":\"eee19b7ec3c1b174\",\"parentSpanId\":\"eee19b7ec3c1b173\",\"name\":\"I'm"
                + " a server span\",\"kind\":2,\"startTimeUnixNano\":\"1544712660000000000\","
                + "\"endTimeUnixNano\":\"1544712661000000000\","
                + "\"attributes\":[{\"key\":\"my.span.attr\",\"value\":{\"stringValue\":\"some"
                + " value\"}},{\"key\":\"n\",\"value\":{\"intValue\":\"42\"}}],"
                + "\"status\":{\"code\":1}}]}]}]}");
  }

  @Test
  void scalarEncodingsFollowTheSpec() {
    String json = new String(OtlpJson.encode(RichSamples.metrics()), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"asInt\":\"9223372036854775807\"")
        .contains("\"bucketCounts\":[\"1\",\"2\",\"18446744073709551615\"]")
        .contains("\"explicitBounds\":[0.5,10]")
        .contains("\"aggregationTemporality\":2,\"isMonotonic\":true")
        .contains("\"min\":-0,\"max\":9.75")
        .contains("\"scale\":-3,\"zeroCount\":\"2\"")
        .contains("\"positive\":{\"offset\":-2,\"bucketCounts\":[\"3\",\"4\"]}")
        .contains("{\"asDouble\":0}");
    String traces = new String(OtlpJson.encode(RichSamples.traces()), StandardCharsets.UTF_8);
    assertThat(traces)
        .contains("\"endTimeUnixNano\":\"18446744073709551615\"")
        .contains("\"flags\":4294967295")
        .contains("{\"key\":\"bytes\",\"value\":{\"bytesValue\":\"AP8+PwE=\"}}")
        .contains("{\"key\":\"nan\",\"value\":{\"doubleValue\":\"NaN\"}}")
        .contains("{\"key\":\"inf\",\"value\":{\"doubleValue\":\"-Infinity\"}}")
        .contains("{\"key\":\"i\",\"value\":{\"intValue\":\"-9223372036854775808\"}}")
        .contains("{\"key\":\"unset\",\"value\":{}}")
        .contains(
            "\"s\",\"value\":{\"stringValue\":\"h\u00e9llo \\\"w\\\"\\n"
                + "\\t\\\\ \u2603 \ud83d\ude00\"}");
  }

  /**
   * The spec's examples/trace.json (opentelemetry-proto), with upper-case ids and numbers for
   * 64-bit ints.
   */
  @Test
  void decodesTheSpecTraceExample() {
    String json =
        """
        {
          "resourceSpans": [
            {
              "resource": {
                "attributes": [
                  { "key": "service.name", "value": { "stringValue": "my.service" } }
                ]
              },
              "scopeSpans": [
                {
                  "scope": {
                    "name": "my.library",
                    "version": "1.0.0",
                    "attributes": [
                      { "key": "my.scope.attribute", "value": { "stringValue": "some scope attribute" } }
                    ]
                  },
                  "spans": [
                    {
                      "traceId": "5B8EFFF798038103D269B633813FC60C",
                      "spanId": "EEE19B7EC3C1B174",
                      "parentSpanId": "EEE19B7EC3C1B173",
                      "name": "I'm a server span",
                      "startTimeUnixNano": 1544712660000000000,
                      "endTimeUnixNano": 1544712661000000000,
                      "kind": 2,
                      "attributes": [
                        { "key": "my.span.attr", "value": { "stringValue": "some value" } }
                      ]
                    }
                  ]
                }
              ]
            }
          ]
        }
        """;
    TracesData d = OtlpJson.decodeTraces(utf8(json));
    Span s = d.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(s.getTraceId()).isEqualTo(RichSamples.TRACE_ID);
    assertThat(s.getSpanId()).isEqualTo(RichSamples.SPAN_ID);
    assertThat(s.getParentSpanId()).isEqualTo(RichSamples.PARENT_ID);
    assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(s.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(s.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
    assertThat(s.getAttributes(0).getValue().getStringValue()).isEqualTo("some value");
    assertThat(d.getResourceSpans(0).getScopeSpans(0).getScope().getAttributes(0).getKey())
        .isEqualTo("my.scope.attribute");
    assertThat(d.getResourceSpans(0).getResource().getAttributes(0).getValue().getStringValue())
        .isEqualTo("my.service");
  }

  /**
   * Shaped like the spec's examples/metrics.json: 64-bit ints as JSON numbers, members in any
   * order.
   */
  @Test
  void decodesSpecShapedMetricsExactly() {
    String json =
        """
        {"resourceMetrics": [{
          "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "billing"}}]},
          "scopeMetrics": [{
            "scope": {"name": "meter", "version": "2.0"},
            "metrics": [
              {"name": "jobs.done", "unit": "1", "description": "finished jobs",
               "sum": {"aggregationTemporality": 1, "isMonotonic": true,
                       "dataPoints": [{"asDouble": 7, "startTimeUnixNano": 1000, "timeUnixNano": 2000,
                                       "attributes": [{"key": "queue", "value": {"stringValue": "q1"}}]}]}},
              {"name": "temp", "unit": "Cel", "gauge": {"dataPoints": [{"asInt": "-4", "timeUnixNano": "2000"}]}},
              {"name": "latency", "unit": "ms",
               "histogram": {"aggregationTemporality": 2, "dataPoints": [{
                 "startTimeUnixNano": 1000, "timeUnixNano": 2000, "count": 4, "sum": 9.5,
                 "bucketCounts": [1, "2", 1], "explicitBounds": [1, 5], "min": 0.5, "max": 6}]}}
            ]}]}]}
        """;
    MetricsData expected =
        MetricsData.newBuilder()
            .addResourceMetrics(
                io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                    .setResource(
                        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                            .addAttributes(
                                RichSamples.kv("service.name", RichSamples.str("billing"))))
                    .addScopeMetrics(
                        io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                            .setScope(
                                io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                                    .setName("meter")
                                    .setVersion("2.0"))
                            .addMetrics(
                                io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                    .setName("jobs.done")
                                    .setUnit("1")
                                    .setDescription("finished jobs")
                                    .setSum(
                                        io.opentelemetry.proto.metrics.v1.Sum.newBuilder()
                                            .setAggregationTemporalityValue(1)
                                            .setIsMonotonic(true)
                                            .addDataPoints(
                                                io.opentelemetry.proto.metrics.v1.NumberDataPoint
                                                    .newBuilder()
                                                    .setAsDouble(7)
                                                    .setStartTimeUnixNano(1000)
                                                    .setTimeUnixNano(2000)
                                                    .addAttributes(
                                                        RichSamples.kv(
                                                            "queue", RichSamples.str("q1"))))))
                            .addMetrics(
                                io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                    .setName("temp")
                                    .setUnit("Cel")
                                    .setGauge(
                                        io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                                            .addDataPoints(
                                                io.opentelemetry.proto.metrics.v1.NumberDataPoint
                                                    .newBuilder()
                                                    .setAsInt(-4)
                                                    .setTimeUnixNano(2000))))
                            .addMetrics(
                                io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                    .setName("latency")
                                    .setUnit("ms")
                                    .setHistogram(
                                        io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                                            .setAggregationTemporalityValue(2)
                                            .addDataPoints(
                                                io.opentelemetry.proto.metrics.v1.HistogramDataPoint
                                                    .newBuilder()
                                                    .setStartTimeUnixNano(1000)
                                                    .setTimeUnixNano(2000)
                                                    .setCount(4)
                                                    .setSum(9.5)
                                                    .addBucketCounts(1)
                                                    .addBucketCounts(2)
                                                    .addBucketCounts(1)
                                                    .addExplicitBounds(1)
                                                    .addExplicitBounds(5)
                                                    .setMin(0.5)
                                                    .setMax(6))))))
            .build();
    assertThat(OtlpJson.decodeMetrics(utf8(json))).isEqualTo(expected);
  }

  /** Shaped like the spec's examples/logs.json: upper-case ids, every attribute value kind. */
  @Test
  void decodesSpecShapedLogsExactly() {
    String json =
        """
        {"resourceLogs": [{"scopeLogs": [{"logRecords": [{
          "timeUnixNano": 1544712660300000000, "observedTimeUnixNano": "1544712660300000001",
          "severityNumber": 9, "severityText": "Information",
          "traceId": "5B8EFFF798038103D269B633813FC60C", "spanId": "EEE19B7EC3C1B174",
          "body": {"stringValue": "user logged in"},
          "attributes": [
            {"key": "s", "value": {"stringValue": "x"}},
            {"key": "b", "value": {"boolValue": true}},
            {"key": "i", "value": {"intValue": 10}},
            {"key": "d", "value": {"doubleValue": 637.704}},
            {"key": "a", "value": {"arrayValue": {"values": [{"stringValue": "p"}, {"intValue": "2"}]}}},
            {"key": "m", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"boolValue": false}}]}}}
          ]}]}]}]}
        """;
    LogRecord expected =
        LogRecord.newBuilder()
            .setTimeUnixNano(1544712660300000000L)
            .setObservedTimeUnixNano(1544712660300000001L)
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
            .setSeverityText("Information")
            .setTraceId(RichSamples.TRACE_ID)
            .setSpanId(RichSamples.SPAN_ID)
            .setBody(RichSamples.str("user logged in"))
            .addAttributes(RichSamples.kv("s", RichSamples.str("x")))
            .addAttributes(RichSamples.kv("b", AnyValue.newBuilder().setBoolValue(true).build()))
            .addAttributes(RichSamples.kv("i", AnyValue.newBuilder().setIntValue(10).build()))
            .addAttributes(
                RichSamples.kv("d", AnyValue.newBuilder().setDoubleValue(637.704).build()))
            .addAttributes(
                RichSamples.kv(
                    "a",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            io.opentelemetry.proto.common.v1.ArrayValue.newBuilder()
                                .addValues(RichSamples.str("p"))
                                .addValues(AnyValue.newBuilder().setIntValue(2)))
                        .build()))
            .addAttributes(
                RichSamples.kv(
                    "m",
                    AnyValue.newBuilder()
                        .setKvlistValue(
                            io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
                                .addValues(
                                    RichSamples.kv(
                                        "k", AnyValue.newBuilder().setBoolValue(false).build())))
                        .build()))
            .build();
    assertThat(
            OtlpJson.decodeLogs(utf8(json)).getResourceLogs(0).getScopeLogs(0).getLogRecordsList())
        .containsExactly(expected);
  }

  @Test
  void acceptsTheVariantsReceiversMustAccept() {
    String json =
        """
        {"resource_logs":[{"scope_logs":[{"log_records":[{
          "time_unix_nano":"1544712660300000000", "observedTimeUnixNano": 1.5443E18,
          "severity_number":"SEVERITY_NUMBER_ERROR", "severityText": null,
          "body":{"int_value": 12, "unknownKind": {"x":[1,2,{"y":null}]}},
          "flags": "1", "trace_id":"5b8efff798038103d269b633813fc60c", "spanId": "",
          "attributes":[{"key":"b","value":{"bytes_value":"AP8-PwE"}}],
          "somethingNew": [true, false, null, "s", 1.5e3, {}]
        }]}]}], "extra": 1}
        """;
    LogRecord r =
        OtlpJson.decodeLogs(utf8(json)).getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(r.getTimeUnixNano()).isEqualTo(1544712660300000000L);
    assertThat(r.getObservedTimeUnixNano()).isEqualTo(1544300000000000000L);
    assertThat(r.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
    assertThat(r.getSeverityText()).isEmpty();
    assertThat(r.getBody()).isEqualTo(AnyValue.newBuilder().setIntValue(12).build());
    assertThat(r.getFlags()).isEqualTo(1);
    assertThat(r.getTraceId()).isEqualTo(RichSamples.TRACE_ID);
    assertThat(r.getSpanId().isEmpty()).isTrue();
    assertThat(r.getAttributes(0).getValue().getBytesValue().toByteArray())
        .containsExactly(0, -1, 62, 63, 1);
  }

  @Test
  void emptyDocumentsDecodeToEmptyData() {
    assertThat(OtlpJson.decodeTraces(utf8("{}"))).isEqualTo(TracesData.getDefaultInstance());
    assertThat(OtlpJson.decodeMetrics(utf8(" {\"resourceMetrics\": null} ")))
        .isEqualTo(MetricsData.getDefaultInstance());
    assertThat(OtlpJson.decodeLogs(utf8("\ufeff{\"resourceLogs\":[]}")))
        .isEqualTo(LogsData.getDefaultInstance());
    assertThat(new String(OtlpJson.encode(TracesData.getDefaultInstance()), StandardCharsets.UTF_8))
        .isEqualTo("{}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "empty input              | ``                                   | expected an object but"
            + " found the end of input at line 1, column 1 (offset 0)",
        "not an object            | []                                   | expected an object but"
            + " found an array at line 1, column 1 (offset 0)",
        "truncated                | {\"resourceSpans\":[                 | unexpected end of input"
            + " inside an array at line 1, column 19 (offset 18)",
        "trailing comma           | {\"resourceSpans\":[],}              | trailing comma at line"
            + " 1, column 20 (offset 19)",
        "missing colon            | {\"resourceSpans\" []}               | unexpected character"
            + " '[', expected ':' after member name \"resourceSpans\" at line 1, column 18 (offset"
            + " 17)",
        "garbage after document   | {} x                                 | unexpected character 'x'"
            + " after the end of the JSON document at line 1, column 4 (offset 3)",
        "bad literal              | {\"a\":tru}                          | malformed literal,"
            + " expected true at line 1, column 6 (offset 5)",
        "unterminated string      | {\"a\":\"abc                         | unterminated string at"
            + " line 1, column 6 (offset 5)",
        "bad escape               | {\"a\":\"\\x\"}                      | invalid escape '\\x' at"
            + " line 1, column 7 (offset 6)",
        "leading zero             | {\"a\":01}                           | malformed number"
            + " (leading zero) at line 1, column 6 (offset 5)",
        "single quotes            | {'a':1}                              | unexpected character"
            + " ''', expected a member name in double quotes at line 1, column 2 (offset 1)",
        "array not array          | {\"resourceSpans\":{}}               | expected an array for"
            + " \"resourceSpans\" but found an object at line 1, column 18 (offset 17)",
      })
  void rejectsMalformedJsonWithItsPosition(String name, String json, String message) {
    assertThatThrownBy(() -> OtlpJson.decodeTraces(utf8(json == null ? "" : json)))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "short trace id    | {\"traceId\":\"abcd\"}                  | \"traceId\" must be 32 hex"
            + " digits, got 4 characters",
        "non-hex span id   | {\"spanId\":\"zzzzzzzzzzzzzzzz\"}      | \"spanId\" is not hex:"
            + " \"zzzzzzzzzzzzzzzz\"",
        "bad enum name     | {\"kind\":\"SERVER\"}                   | \"SERVER\" is not a value of"
            + " SpanKind (\"kind\")",
        "fraction int      | {\"startTimeUnixNano\":1.5}            | \"1.5\" is not an integer"
            + " (\"startTimeUnixNano\")",
        "negative uint64   | {\"endTimeUnixNano\":\"-1\"}           | -1 is out of range for an"
            + " unsigned 64-bit integer (\"endTimeUnixNano\")",
        "too big uint64    | {\"endTimeUnixNano\":\"18446744073709551616\"} | 18446744073709551616"
            + " is out of range for an unsigned 64-bit integer (\"endTimeUnixNano\")",
        "too big uint32    | {\"droppedEventsCount\":4294967296}    | 4294967296 is out of range"
            + " for an unsigned 32-bit integer (\"droppedEventsCount\")",
        "string for name   | {\"name\":5}                           | expected a string for"
            + " \"name\" but found a number",
        "null in array     | {\"events\":[null]}                    | null is not allowed inside"
            + " \"events\"",
        "huge exponent     | {\"startTimeUnixNano\":1e999999999}   | 1e999999999 is out of range"
            + " for a 64-bit integer (\"startTimeUnixNano\")",
        "tiny exponent     | {\"startTimeUnixNano\":\"1e-999999999\"} | \"1e-999999999\" is not an"
            + " integer (\"startTimeUnixNano\")",
        "exponent int ok   | {\"droppedEventsCount\":\"1e10\"}     | 10000000000 is out of range"
            + " for an unsigned 32-bit integer (\"droppedEventsCount\")",
        "hex float double  |"
            + " {\"events\":[{\"attributes\":[{\"value\":{\"doubleValue\":\"0x1p3\"}}]}]} |"
            + " \"0x1p3\" is not a number (\"doubleValue\")",
      })
  void rejectsValuesThatDoNotFitTheSchema(String name, String spanJson, String problem) {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + spanJson + "]}]}]}";
    assertThatThrownBy(() -> OtlpJson.decodeTraces(utf8(json)))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessageStartingWith(problem + " at line 1, column ");
  }

  /**
   * Receivers must never crash on bad input: every corruption is an OtlpJsonException or decodes.
   */
  @Test
  void truncatedOrCorruptedInputOnlyEverFailsWithOtlpJsonException() {
    byte[] json = OtlpJson.encode(RichSamples.metrics());
    for (int len = 0; len < json.length; len += 41) {
      int n = len;
      assertThatThrownBy(() -> OtlpJson.decodeMetrics(json, 0, n))
          .isInstanceOf(OtlpJsonException.class);
    }
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    byte[] alphabet = utf8("{}[]\",:0-9eE.\\ntfa\u00e9");
    for (int i = 0; i < 400; i++) {
      byte[] bad = json.clone();
      bad[random.nextInt(bad.length)] = alphabet[random.nextInt(alphabet.length)];
      try {
        OtlpJson.decodeMetrics(bad);
      } catch (OtlpJsonException expected) {
        // fine: a clear error
      }
    }
  }

  @Test
  void errorPositionCountsLines() {
    OtlpJsonException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            OtlpJsonException.class,
            () ->
                OtlpJson.decodeTraces(
                    utf8("{\n  \"resourceSpans\": [\n    {\"schemaUrl\": 7}\n  ]\n}")));
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(19);
    assertThat(e.offset()).isEqualTo(41);
    byte[] framed = utf8("xx\n{\"resourceSpans\": 1}yy");
    OtlpJsonException inRange =
        org.junit.jupiter.api.Assertions.assertThrows(
            OtlpJsonException.class, () -> OtlpJson.decodeTraces(framed, 3, framed.length - 5));
    assertThat(inRange)
        .hasMessage(
            "expected an array for \"resourceSpans\" but found a number at line 1, column 19"
                + " (offset 18)");
  }
}
