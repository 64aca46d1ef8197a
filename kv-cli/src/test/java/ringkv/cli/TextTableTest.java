package ringkv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void lines_columnsWidestCellPlusTwo_lastColumnUnpadded() {
    TextTable table = new TextTable(List.of("A", "LONG_HEADER", "C"));
    table.row(List.of("wide-cell", "x", "last"));
    table.row(List.of("", "y", ""));
    assertThat(table.lines())
        .containsExactly(
            "A          LONG_HEADER  C", "wide-cell  x            last", "           y");
  }

  @Test
  void row_wrongWidth_rejected() {
    assertThatThrownBy(() -> new TextTable(List.of("A", "B")).row(List.of("1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonArraysAndNulls() {
    String json =
        new JsonObject()
            .strings("s", List.of("a", "b\"c"))
            .strings("empty", List.of())
            .objects("o", List.of(new JsonObject().field("x", 1), new JsonObject()))
            .field("str", (String) null)
            .field("num", (Long) null)
            .number("pct", "33.4")
            .toString();
    assertThat(json)
        .isEqualTo(
            "{\"s\":[\"a\",\"b\\\"c\"],\"empty\":[],\"o\":[{\"x\":1},{}],\"str\":null,"
                + "\"num\":null,\"pct\":33.4}");
  }
}
