package io.triad.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TabularDatasetTest {

  @Test
  void of_should_oneHotTextColumnsOverASortedVocabulary_when_aFeatureIsNotNumeric() {
    // given
    CsvTable table =
        CsvTable.parse("colour,size,label\nred,1.5,a\n\"blue, dark\",2,b\nred,3,a\n", "t.csv");

    // when
    TabularDataset data = TabularDataset.of(table, null, "t.csv");

    // then
    assertThat(data.features())
        .extracting(FeatureColumn::vocabulary)
        .containsExactly(List.of("blue, dark", "red"), null);
    assertThat(data.x()).isEqualTo(new float[][] {{0f, 1f, 1.5f}, {1f, 0f, 2f}, {0f, 1f, 3f}});
    assertThat(data.labels()).containsExactly("a", "b");
    assertThat(data.y()).containsExactly(0, 1, 0);
  }

  @Test
  void of_should_useTheNamedTarget_when_targetIsGiven() {
    // given
    CsvTable table = CsvTable.parse("label,x\nb,1\na,2\n", "t.csv");

    // when
    TabularDataset data = TabularDataset.of(table, "label", "t.csv");

    // then
    assertThat(data.target()).isEqualTo("label");
    assertThat(data.y()).containsExactly(1, 0);
  }

  @Test
  void of_should_fail_when_theTargetIsNotInTheHeader() {
    CsvTable table = CsvTable.parse("x,y\n1,a\n2,b\n", "t.csv");
    assertThatThrownBy(() -> TabularDataset.of(table, "species", "t.csv"))
        .isInstanceOf(TrainerException.class)
        .hasMessage("t.csv: target column 'species' is not in the header [x, y]");
  }

  @Test
  void of_should_fail_when_aValueIsMissing() {
    CsvTable table = CsvTable.parse("x,y\n1,a\n,b\n", "t.csv");
    assertThatThrownBy(() -> TabularDataset.of(table, null, "t.csv"))
        .isInstanceOf(TrainerException.class)
        .hasMessage("t.csv line 3: column 'x' has no value");
  }

  @Test
  void format_should_quoteCells_when_theyHoldCommasOrQuotes() {
    // given
    CsvTable table = CsvTable.parse("a,b\n\"x, \"\"y\"\"\",1\r\n", "t.csv");

    // when
    String csv = table.format(table.rows());

    // then
    assertThat(csv).isEqualTo("a,b\n\"x, \"\"y\"\"\",1\n");
    assertThat(table.rows().get(0).cells()).containsExactly("x, \"y\"", "1");
  }
}
