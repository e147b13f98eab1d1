package io.tiercel.processors.ottl.func;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercel.processors.ottl.eval.OttlRuntimeException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

class GrokTest {
  @Test
  void everyKnownPatternCompiles() throws Exception {
    assertThat(Grok.knownNames()).hasSize(245).contains("WORD", "URI", "ELB_URI", "POSTGRESQL");
    Map<String, String> failures = new java.util.TreeMap<>();
    for (String name : Grok.knownNames()) {
      try {
        Grok.compile("%{" + name + "}", false, Map.of());
      } catch (Grok.GrokException e) {
        failures.put(name, e.getMessage());
      }
    }
    // the library's own definition is broken: a '[' after "DATA:" opens a class that never closes,
    // so Go's regexp refuses it as well
    assertThat(failures).containsOnlyKeys("CISCOFW733100");
  }

  static Stream<Named<Map<String, Object>>> vectors() throws Exception {
    try (InputStream in = GrokTest.class.getResourceAsStream("/grok-vectors.yaml")) {
      List<Map<String, Object>> all = new Yaml().load(in);
      return all.stream().map(v -> Named.of(v.get("set") + " " + v.get("name"), v));
    }
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void libraryVectors(Map<String, Object> v) throws Exception {
    Grok g = Grok.compile((String) v.get("pattern"), false, Map.of());
    Map<String, String> got = new LinkedHashMap<>();
    g.parseText((String) v.get("text")).forEach((k, x) -> got.put(k, String.valueOf(x)));
    @SuppressWarnings("unchecked")
    Map<String, String> expect = (Map<String, String>) v.get("expect");
    assertThat(got).containsAllEntriesOf(expect);
  }

  @Test
  void referencesWithoutIdAreNamedByThePatternUnlessOnlyNamedCapturesAreWanted() throws Exception {
    assertThat(Grok.compile("%{WORD} %{INT}", false, Map.of()).parse("abc -12"))
        .containsExactly(Map.entry("WORD", "abc"), Map.entry("INT", "-12"));
    assertThat(Grok.compile("%{WORD} %{INT:n}", true, Map.of()).parse("abc -12"))
        .containsExactly(Map.entry("n", "-12"));
    assertThat(Grok.compile("%{WORD} %{INT}", true, Map.of()).hasNamedGroups()).isFalse();
  }

  @Test
  void typesConvertValues() throws Exception {
    Grok g =
        Grok.compile(
            "%{WORD:ok:bool} %{NUMBER:n:float} %{INT:i:long} %{WORD:s:string}", true, Map.of());
    assertThat(g.parse("true 1.5 42 x"))
        .containsExactly(
            Map.entry("ok", true), Map.entry("n", 1.5), Map.entry("i", 42L), Map.entry("s", "x"));
    assertThatThrownBy(() -> g.parse("maybe 1.5 42 x"))
        .isInstanceOf(OttlRuntimeException.class)
        .hasMessage("ExtractGrokPatterns: cannot convert \"maybe\" of ok to bool");
    assertThatThrownBy(() -> Grok.compile("%{WORD:w:uint}", true, Map.of()).parse("x"))
        .isInstanceOf(OttlRuntimeException.class)
        .hasMessage("ExtractGrokPatterns: invalid type for w: type not specified");
  }

  @Test
  void customPatternsWinAndEmptyMatchesAreLeftOut() throws Exception {
    Grok g = Grok.compile("%{WORD:w}%{SPACE:s}", true, Map.of("WORD", "[a-c]+"));
    assertThat(g.parse("abcdef")).containsExactly(Map.entry("w", "abc"));
    assertThat(g.parse("zzz")).isEmpty();
  }

  @Test
  void unknownPatternsAndBadRegexesAreRefused() {
    assertThatThrownBy(() -> Grok.compile("%{NOPE}", false, Map.of()))
        .hasMessage("pattern definition \"NOPE\" unknown: parsing failed");
    assertThatThrownBy(() -> Grok.compile("(%{WORD}", false, Map.of()))
        .isInstanceOf(Grok.GrokException.class)
        .hasMessageStartingWith("Unclosed group");
  }

  @Test
  void bracketsAndAmpersandsInAClassAreLiterals() throws Exception {
    assertThat(Grok.compile("(?P<v>[[&]+)", false, Map.of()).parse("x[&&[y"))
        .containsExactly(Map.entry("v", "[&&["));
  }
}
