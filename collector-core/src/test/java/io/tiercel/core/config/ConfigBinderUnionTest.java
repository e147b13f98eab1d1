package io.tiercel.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link TaggedUnion} and {@link Derived} components. */
class ConfigBinderUnionTest {
  @TaggedUnion("type")
  sealed interface Shape permits Plain, Group {
    String name();
  }

  /** The shapes a {@link Group} may hold: every shape but a group. */
  sealed interface Plain extends Shape permits Square, Circle {}

  record Square(String name, Side square) implements Plain {}

  record Side(int length) {}

  record Circle(String name, int radius) implements Plain {}

  record Group(String name, Members group) implements Shape {}

  record Members(List<Plain> members) {}

  record Drawing(List<Shape> shapes, Shape main) {}

  record Matcher(String regex, @Derived Pattern pattern) {
    Matcher {
      pattern = regex == null ? null : Pattern.compile(regex);
    }
  }

  @Test
  void theTagPicksTheRecordAndTheRestBindsToIt() throws Exception {
    Drawing d =
        ConfigBinder.bind(
            Drawing.class,
            null,
            map(
                "shapes",
                List.of(
                    map("type", "square", "name", "a", "square", map("length", 2)),
                    map("name", "b", "type", "circle", "radius", 3),
                    map(
                        "type",
                        "group",
                        "name",
                        "g",
                        "group",
                        map("members", List.of(map("type", "circle", "name", "c"))))),
                "main",
                map("type", "circle", "radius", 1)),
            "x");
    assertThat(d.shapes())
        .containsExactly(
            new Square("a", new Side(2)),
            new Circle("b", 3),
            new Group("g", new Members(List.of(new Circle("c", 0)))));
    assertThat(d.main()).isEqualTo(new Circle(null, 1));
    assertThat(ConfigBinder.toTree((Record) d.shapes().get(0)))
        .containsExactly(
            Map.entry("type", "square"),
            Map.entry("name", "a"),
            Map.entry("square", Map.of("length", 2)));
  }

  @Test
  void aDefaultOfTheSameVariantIsLaidOver() throws Exception {
    Drawing def = new Drawing(List.of(), new Circle("dflt", 7));
    assertThat(ConfigBinder.bind(Drawing.class, def, map("main", map("type", "circle")), "x"))
        .isEqualTo(new Drawing(List.of(), new Circle("dflt", 7)));
    assertThat(
            ConfigBinder.bind(
                Drawing.class, def, map("main", map("type", "square", "name", "s")), "x"))
        .isEqualTo(new Drawing(List.of(), new Square("s", null)));
  }

  @Test
  void everyErrorOfEveryVariantIsReportedAtItsPath() {
    assertThatThrownBy(
            () ->
                ConfigBinder.bind(
                    Drawing.class,
                    null,
                    map(
                        "shapes",
                        List.of(
                            map("name", "a"),
                            map("type", "triangle"),
                            map("type", "circle", "radius", "big", "square", map()),
                            map("type", "square", "square", map("length", "x")),
                            "round",
                            map("type", List.of()),
                            map(
                                "type",
                                "group",
                                "group",
                                map("members", List.of(map("type", "group"))))),
                        "main",
                        map("type", "circle", "radius", 1)),
                    "x"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            """
            x.shapes[0].type: is required
            x.shapes[1].type: "triangle" is not one of square, circle, group
            x.shapes[2]: unknown key "square"; valid keys are: type, name, radius
            x.shapes[2].radius: expected an int, got "big"
            x.shapes[3].square.length: expected an int, got "x"
            x.shapes[4]: expected a map, got "round"
            x.shapes[5].type: expected a string, got a list
            x.shapes[6].group.members[0].type: "group" is not allowed here (allowed: square, circle)\
            """);
  }

  @Test
  void derivedComponentsAreComputedNeverReadNorRendered() throws Exception {
    Matcher m = ConfigBinder.bind(Matcher.class, null, map("regex", "a+"), "m");
    assertThat(m.pattern().matcher("aa").matches()).isTrue();
    assertThat(ConfigBinder.toTree(m)).containsExactly(Map.entry("regex", "a+"));
    assertThatThrownBy(
            () -> ConfigBinder.bind(Matcher.class, null, map("regex", "a", "pattern", "b"), "m"))
        .hasMessage("m: unknown key \"pattern\"; valid keys are: regex");
  }

  @Test
  void variantNamesAreSnakeCase() {
    assertThat(ConfigBinder.variantName(Square.class)).isEqualTo("square");
    assertThat(TaggedUnions.unionKey(Plain.class)).isEqualTo("type");
    assertThat(TaggedUnions.unionKey(Side.class)).isNull();
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
