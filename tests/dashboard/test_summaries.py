"""Every chart in words: latest value, trend and ranking, in the reader's language."""

from __future__ import annotations

import pandas as pd

from dashboard import i18n
from dashboard.summaries import Summary, describe


def test_latest_value_and_trend_of_one_series():
    table = pd.DataFrame({"period": ["2024 H1", "2024 H2", "2025 H1"], "requests": [300, 256, 232]})
    assert describe(table, Summary("requests", "period")) == "Latest: 232 in 2025 H1, down from 256 in 2024 H2."


def test_series_are_listed_largest_first_and_the_rest_counted():
    table = pd.DataFrame(
        {
            "period": ["2024", "2025"] * 6,
            "platform": [p for p in "ABCDEF" for _ in range(2)],
            "requests": [1, 2, 5, 5, 3, 9, 8, 1, 4, 4, 7, 6],
        }
    )
    text = describe(table, Summary("requests", "period", "platform"))
    assert text.startswith("Latest: C: 9 in 2025, up from 3 in 2024; F: 6 in 2025, down from 7 in 2024; B: 5 in 2025,")
    assert "unchanged from 2024" in text and text.endswith("2 more series in the table.")


def test_time_sorted_by_the_order_column_when_the_label_does_not_sort():
    table = pd.DataFrame(
        {
            "date_label": ["19 Jul 2024", "22 Dec 2022"],
            "as_of": pd.to_datetime(["2024-07-19", "2022-12-22"]),
            "v": [94.0, 93.0],
        }
    )
    text = describe(table, Summary("v", "date_label", order="as_of", percent=True))
    assert text == "Latest: 94.0% in 19 Jul 2024, up from 93.0% in 22 Dec 2022."


def test_ranking_without_time_and_empty_tables():
    table = pd.DataFrame({"region": ["Punjab", "Sindh", "Balochistan"], "attacks": [10, 40, 25]})
    assert describe(table, Summary("attacks", None, "region")) == "Highest: Sindh (40). Lowest: Punjab (10)."
    assert describe(table.iloc[0:0], Summary("attacks", None, "region")) == "No figures for this selection."
    assert describe(table.assign(attacks=None), Summary("attacks", None, "region")) == "No figures for this selection."


def test_urdu_summary_uses_urdu_words_and_locale_numbers():
    table = pd.DataFrame({"period": ["2024", "2025"], "requests": [1500, 2500]})
    i18n.set_language("ur")
    try:
        text = describe(table, Summary("requests", "period"))
    finally:
        i18n.set_language("en")
    assert "2,500" in text and "1,500" in text
    assert text != "Latest: 2,500 in 2025, up from 1,500 in 2024."  # translated once the catalogue has it


def test_two_definitions_of_one_source_are_two_series_never_compared():
    """PICSS publishes militant attacks and all combat-related violence: a sentence never compares the two."""
    table = pd.DataFrame(
        {
            "period": ["2024", "2025"],
            "source_org": ["PICSS", "PICSS"],
            "definition": ["militant attacks", "all combat-related violence"],
            "attacks": [908, 1063],
        }
    )
    text = describe(table, Summary("attacks", "period", ("source_org", "definition")))
    assert "up from" not in text and "down from" not in text
    assert "PICSS / militant attacks: 908 in 2024" in text
    assert "PICSS / all combat-related violence: 1,063 in 2025" in text


def test_a_lower_bound_is_said_as_such_and_never_compared():
    table = pd.DataFrame(
        {
            "period": ["2024", "2025"],
            "attacks": [905, 1066],
            "attacks_qualifier": [None, "lower_bound"],
        }
    )
    assert describe(table, Summary("attacks", "period")) == "Latest: at least 1,066 in 2025."


def test_an_approximate_total_is_marked_and_not_compared():
    table = pd.DataFrame(
        {
            "date_label": ["19 Jul 2024", "~Jan 2026"],
            "as_of": pd.to_datetime(["2024-07-19", "2026-01-01"]),
            "urls_blocked": [1303578, 1400000],
            "value_kind": ["exact", "lower_bound"],
            "approx": [False, True],
        }
    )
    text = describe(table, Summary("urls_blocked", "date_label", order="as_of"))
    assert text == "Latest: at least 1,400,000 in ~Jan 2026."
