import pandas as pd
import pandas.testing as pdt

from analysis.tables import counts, cross_table, suppress_small_cells


def test_counts_largest_first_with_missing_values():
    frame = pd.DataFrame({"land": ["BY", "BE", "BY", None]})
    result = counts(frame, "land")
    expected = pd.DataFrame({"land": ["BY", "BE", None], "answers": [2, 1, 1]})
    pdt.assert_frame_equal(result, expected)


def test_cross_table_and_suppression():
    frame = pd.DataFrame(
        {"perspective": ["citizen"] * 6 + ["union"] * 2 + [None], "land": ["BY"] * 7 + ["BE"] * 2}
    )
    table = cross_table(frame, "perspective", "land")
    assert table.loc["citizen", "BY"] == 6 and table.loc["Gesamt", "Gesamt"] == 9
    assert table.loc["keine Angabe", "BE"] == 1
    shown = suppress_small_cells(table)
    assert shown.loc["citizen", "BY"] == "6"
    assert shown.loc["union", "BY"] == "< 5"  # 1
    assert shown.loc["citizen", "BE"] == "0"  # zero reveals nobody
    assert shown.loc["Gesamt", "BE"] == "< 5"  # small totals too
    assert suppress_small_cells(table, threshold=2).loc["union", "BY"] == "< 2"
    assert suppress_small_cells(table, threshold=2).loc["citizen", "BE"] == "0"
