"""Each contract rule, on tiny frames prepared as the build prepares them: text columns, NA for empty, `_line`."""

from __future__ import annotations

import pandas as pd
import pytest

from etl.contracts import load_contract, validate

FILE = "x.csv"
FIRST_LINE = 7  # not 2: the failure's line must come from `_line`, not from the row's position

REFERENCES = {
    ("regions", "region_code"): {"PK", "PK-PB", "PK-KP"},
    ("platforms", "platform_id"): {"google", "youtube", "facebook", "meta"},
    ("categories", "category_id"): {"defamation", "other"},
}

BASE = {
    "incidents": {
        "source_id": "militancy_annual_PK",
        "source_line": "3",
        "source_org": "PIPS",
        "source_org_as_printed": "PIPS",
        "definition_id": "terrorist_attacks",
        "definition_as_printed": "terrorist attacks",
        "period_start": "2014-01-01",
        "period_end": "2014-12-31",
        "date_precision": "year",
        "region_label": "Pakistan",
        "region_code": "PK",
        "attacks": "1206",
        "approx": "false",
        "revision": "1",
        "citation_grade": "press",
        "citation_url": "http://thenews.com.pk/Todays-News-2-294525",
    },
    "regulator_reported_actions": {
        "source_id": "pta_url_blocking_by_platform",
        "source_line": "2",
        "regulator": "PTA",
        "breakdown": "total",
        "platform_label": "ALL",
        "scope": "cumulative_snapshot",
        "scope_as_printed": "cumulative, all PTA processing",
        "as_of": "2022-09-22",
        "date_precision": "day",
        "date_label": "22 Sep 2022",
        "date_as_printed": "2022-09-22",
        "urls_processed": "100",
        "urls_blocked": "90",
        "approx": "false",
        "value_kind": "exact",
        "citation_grade": "press",
        "citation_url": "https://propakistani.pk/2022/09/22/pta-processed",
    },
    "platform_reported_requests": {
        "source_id": "google_removals_summary",
        "source_line": "3707",
        "reporter_id": "google",
        "country_code": "PK",
        "country_name": "Pakistan",
        "period_start": "2025-01-01",
        "period_end": "2025-06-30",
        "date_precision": "half_year",
        "product": "All products",
        "platform_id": "google",
        "requester": "Information and Communications Authority",
        "reason": "All reasons",
        "requests": "211",
        "items_requested": "4553",
        "pct_removed_legal": "82",
        "approx": "false",
        "citation_grade": "publisher",
        "citation_url": "https://transparencyreport.google.com/government-removals/overview",
    },
    "categories": {"category_id": "defamation", "name": "Defamation", "description": "Harm to reputation."},
    "events": {
        "event_id": "peca-2016",
        "event_date": "2016-08-11",
        "date_precision": "day",
        "kind": "law",
        "title": "PECA enacted",
        "description": "The Prevention of Electronic Crimes Act is passed.",
        "title_ur": "پیکا نافذ",
        "description_ur": "الیکٹرانک جرائم کی روک تھام کا قانون منظور ہوا۔",
        "source_title": "Dawn: PECA passed",
        "source_url": "https://www.dawn.com/news/1276662",
    },
}

INCIDENT_KEY = "source_org,definition_id,period_start,period_end,region_label,revision"
MEASURES = ("attacks", "killed_total", "killed_security", "killed_civilians", "killed_militants", "injured_total")
QUALIFIERS = ",".join(f"{m}_qualifier" for m in MEASURES)
QUALIFIERS_AND_FIGURES = ",".join(MEASURES) + "," + QUALIFIERS
URLS = "urls_processed,urls_blocked,urls_still_accessible,urls_rejected_by_platform"
KILLED = "killed_total,killed_security,killed_civilians,killed_militants"
SHARES = (
    "pct_removed_legal,pct_removed_policy,pct_content_not_found,pct_not_enough_information,"
    "pct_no_action_taken,pct_content_already_removed"
)
NO_PERIOD = {"period_start": None, "period_end": None}
FLOW = {
    "scope": "flow",
    "as_of": None,
    "period_start": "2023-01-01",
    "period_end": "2023-12-31",
    "date_precision": "year",
}


def frame_of(table: str, rows: list[dict]) -> pd.DataFrame:
    """Like build.conform: every contract column as pandas 'string' (NA when absent), plus Int64 `_line`."""
    contract = load_contract(table)
    frame = pd.DataFrame(
        {name: pd.array([row.get(name) for row in rows], dtype="string") for name in contract.field_names}
    )
    frame["_line"] = pd.array(range(FIRST_LINE, FIRST_LINE + len(rows)), dtype="Int64")
    return frame


def check(table: str, rows: list[dict]):
    return validate(frame_of(table, rows), load_contract(table), FILE, REFERENCES)


def case(table, good, bad, expected, prefix=(), id=None):  # noqa: A002 - pytest's word
    return pytest.param(table, list(prefix), good, bad, expected, id=id)


CASES = [
    # --- field constraints ---
    case(
        "incidents",
        {"source_org_as_printed": "Pak Institute"},
        {"source_org_as_printed": None},
        [("source_org_as_printed", "required")],
        id="required",
    ),
    case(
        "incidents", {"attacks": "1206"}, {"attacks": "1,206"}, [("attacks", "type_integer")], id="type_integer-comma"
    ),
    case("incidents", {"attacks": "0"}, {"attacks": "12.5"}, [("attacks", "type_integer")], id="type_integer-decimal"),
    case(
        "incidents",
        {"period_end": "2024-02-29"},
        {"period_end": "2023-02-30"},
        [("period_end", "type_date")],
        id="type_date-feb30",
    ),
    case(
        "incidents",
        {"period_end": "2014-12-31"},
        {"period_end": "31/12/2014"},
        [("period_end", "type_date")],
        id="type_date-dmy",
    ),
    case(
        "incidents",
        {"period_end": "2014-12-31"},
        {"period_end": "2014-13-01"},
        [("period_end", "type_date")],
        id="type_date-month13",
    ),
    case(
        "incidents",
        {"approx": "true", "attacks_qualifier": "approx"},
        {"approx": "yes", "attacks_qualifier": "approx"},
        [("approx", "type_boolean")],
        id="type_boolean",
    ),
    case(
        "platform_reported_requests",
        {"pct_removed_legal": "82.5"},
        {"pct_removed_legal": "82%"},
        [("pct_removed_legal", "type_number")],
        id="type_number",
    ),
    case("incidents", {"source_org": "PICSS"}, {"source_org": "BBC"}, [("source_org", "enum")], id="enum"),
    case(
        "platform_reported_requests",
        {"requests": None, "requests_qualifier": "<10"},
        {"requests": None, "requests_qualifier": "<5"},
        [("requests_qualifier", "enum")],
        id="enum-qualifier",
    ),
    case(
        "incidents",
        {"killed_total": "0"},
        {"killed_total": "-1"},
        [("killed_total", "minimum")],
        id="minimum-negative-count",
    ),
    case(
        "platform_reported_requests",
        {"requests": "0"},
        {"requests": "-211"},
        [("requests", "minimum")],
        id="minimum-negative-requests",
    ),
    case(
        "incidents", {"source_line": "2"}, {"source_line": "1"}, [("source_line", "minimum")], id="minimum-header-line"
    ),
    case(
        "platform_reported_requests",
        {"pct_removed_legal": "100"},
        {"pct_removed_legal": "101"},
        [("pct_removed_legal", "maximum")],
        id="maximum-pct-101",
    ),
    case(
        "platform_reported_requests",
        {"complied_pct": "100", "compliance_basis": "requests"},
        {"complied_pct": "100.5", "compliance_basis": "requests"},
        [("complied_pct", "maximum")],
        id="maximum-complied",
    ),
    case(
        "platform_reported_requests",
        {"country_code": "EUROPOL"},
        {"country_code": "Pakistan"},
        [("country_code", "pattern")],
        id="pattern-country",
    ),
    case(
        "incidents",
        {"citation_url": "https://example.org/report"},
        {"citation_url": "www.example.org/report"},
        [("citation_url", "pattern"), ("citation_url", "url_form")],  # no scheme: not a web address either
        id="pattern-url",
    ),
    case(
        "incidents",
        {"source_id": "militancy_annual_PK"},
        {"source_id": "militancy annual"},
        [("source_id", "pattern")],
        id="pattern-source-id",
    ),
    case("events", {"title": "x" * 80}, {"title": "x" * 81}, [("title", "max_length")], id="max_length"),
    case(
        "categories",
        {"category_id": "other", "name": "Other"},
        {"name": "Other"},
        [("category_id", "unique"), ("category_id", "primary_key_duplicate")],
        prefix=[{}],
        id="unique",
    ),
    case(
        "incidents",
        {"region_label": "Punjab", "region_code": "PK-PB"},
        {"attacks": "7"},
        [(INCIDENT_KEY, "primary_key_duplicate")],
        prefix=[{}],
        id="primary_key_duplicate",
    ),
    case(
        "incidents",
        {"region_code": "PK-PB"},
        {"region_code": "PK-XX"},
        [("region_code", "foreign_key")],
        id="foreign_key-region",
    ),
    case(
        "platform_reported_requests",
        {"platform_id": "youtube"},
        {"platform_id": "myspace"},
        [("platform_id", "foreign_key")],
        id="foreign_key-platform",
    ),
    # --- regulator_reported_actions rules ---
    case(
        "regulator_reported_actions",
        {"value_kind": "lower_bound", "approx": "true"},
        {"value_kind": "lower_bound", "approx": "false"},
        [("value_kind,approx", "approx_when_not_exact")],
        id="approx_when_not_exact",
    ),
    case(
        "regulator_reported_actions",
        {"urls_blocked": "100"},
        {"urls_blocked": "101"},
        [("urls_processed,urls_blocked", "blocked_le_processed"), (URLS, "outcomes_le_processed")],
        id="blocked_le_processed",
    ),
    case(
        "regulator_reported_actions",
        {"urls_still_accessible": "5", "urls_rejected_by_platform": "5"},
        {"urls_still_accessible": "6", "urls_rejected_by_platform": "5"},
        [(URLS, "outcomes_le_processed")],
        id="outcomes_le_processed",
    ),
    case(
        "regulator_reported_actions",
        NO_PERIOD,
        {"period_start": "2022-01-01", "period_end": "2022-09-22"},
        [("scope,period_start,period_end", "snapshot_has_no_period")],
        id="snapshot_has_no_period",
    ),
    case(
        "regulator_reported_actions",
        FLOW,
        {**FLOW, "as_of": "2023-12-31"},
        [("scope,as_of,period_start,period_end,date_precision", "flow_has_period")],
        id="flow_has_period-with-as_of",
    ),
    case(
        "regulator_reported_actions",
        FLOW,
        {"scope": "flow"},
        [("scope,as_of,period_start,period_end,date_precision", "flow_has_period")],
        id="flow_has_period-without-period",
    ),
    case(
        "regulator_reported_actions",
        {"date_precision": "unknown", "as_of": None},
        {"date_precision": "unknown"},
        [("as_of,period_start,period_end,date_precision", "unknown_date_is_empty")],
        id="unknown_date_is_empty",
    ),
    case(
        "regulator_reported_actions",
        {"date_precision": "day"},
        {"as_of": None},
        [("as_of,period_end,date_precision", "known_date_is_given")],
        id="known_date_is_given",
    ),
    case(
        "regulator_reported_actions",
        {**FLOW, "period_start": "2023-12-31"},
        {**FLOW, "period_start": "2024-01-01"},
        [("period_start,period_end", "period_end_after_start")],
        id="regulator-period_end_after_start",
    ),
    case(
        "regulator_reported_actions",
        {"breakdown": "platform", "platform_label": "Facebook", "platform_id": "facebook"},
        {"breakdown": "platform", "platform_label": "Facebook"},
        [("breakdown,platform_id,category_id", "breakdown_matches_keys")],
        id="breakdown_matches_keys-platform",
    ),
    case(
        "regulator_reported_actions",
        {"breakdown": "category", "category_label": "Defamation", "category_id": "defamation"},
        {"breakdown": "category", "category_label": "Defamation"},
        [("breakdown,platform_id,category_id", "breakdown_matches_keys")],
        id="breakdown_matches_keys-category",
    ),
    case(
        "regulator_reported_actions",
        {"urls_processed": None},
        {"urls_processed": None, "urls_blocked": None},
        [(URLS, "some_figure")],
        id="regulator-some_figure",
    ),
    # --- incidents rules ---
    case(
        "incidents",
        {"attacks": "1066", "attacks_qualifier": "lower_bound", "approx": "true"},
        {"attacks": "1066", "attacks_qualifier": "lower_bound", "approx": "false"},
        [(QUALIFIERS + ",approx", "approx_when_qualified")],
        id="approx_when_qualified",
    ),
    case(
        "incidents",
        {"killed_militants": "225", "killed_militants_qualifier": "approx", "approx": "true"},
        {"killed_militants": None, "killed_militants_qualifier": "approx", "approx": "true"},
        [(QUALIFIERS_AND_FIGURES, "qualifier_has_figure")],
        id="qualifier_has_figure",
    ),
    case(
        "incidents",
        {"killed_total": "11", "killed_security": "11"},
        {"killed_total": "10", "killed_security": "11"},
        [(KILLED, "killed_total_ge_components")],
        id="killed_total_ge_components",
    ),
    case(
        "incidents",
        {"killed_total": "12", "killed_security": "4", "killed_civilians": "4", "killed_militants": "4"},
        {"killed_total": "11", "killed_security": "4", "killed_civilians": "4", "killed_militants": "4"},
        [(KILLED, "killed_total_ge_sum_when_all_given")],
        id="killed_total_ge_sum_when_all_given",
    ),
    case(
        "incidents",
        {"period_start": "2014-12-31"},
        {"period_start": "2015-01-01"},
        [("period_start,period_end", "period_end_after_start")],
        id="incidents-period_end_after_start",
    ),
    case(
        "incidents",
        {"attacks": None, "injured_total": "0"},
        {"attacks": None},
        [("attacks,killed_total,killed_security,killed_civilians,killed_militants,injured_total", "some_figure")],
        id="incidents-some_figure",
    ),
    # --- platform_reported_requests rules ---
    case(
        "platform_reported_requests",
        {"requests": None, "requests_qualifier": "<10"},
        {"requests_qualifier": "<10"},
        [("requests,requests_qualifier,items_requested,items_requested_qualifier", "qualifier_only_without_number")],
        id="qualifier_only_without_number",
    ),
    case(
        "platform_reported_requests",
        {"pct_removed_legal": "82", "pct_no_action_taken": "20"},
        {"pct_removed_legal": "82", "pct_no_action_taken": "21"},
        [(SHARES, "outcome_shares_at_most_100")],
        id="outcome_shares_at_most_100",
    ),
    case(
        "platform_reported_requests",
        {"complied_pct": "50", "compliance_basis": "items"},
        {"complied_pct": "50"},
        [("complied_pct,compliance_basis", "complied_has_basis")],
        id="complied_has_basis",
    ),
    case(
        "platform_reported_requests",
        {"period_start": "2025-06-30"},
        {"period_start": "2025-07-01"},
        [("period_start,period_end", "period_end_after_start")],
        id="platform-period_end_after_start",
    ),
]


@pytest.mark.parametrize("table, prefix, good, bad, expected", CASES)
def test_rule(table, prefix, good, bad, expected):
    base = BASE[table]
    before = [{**base, **p} for p in prefix]
    line = FIRST_LINE + len(before)

    passed = check(table, [*before, {**base, **good}])
    assert passed.failures == []
    assert list(passed.frame["_line"]) == [FIRST_LINE + i for i in range(len(before) + 1)]

    refused = check(table, [*before, {**base, **bad}])
    got = sorted((f.file, f.line, f.column, f.rule) for f in refused.failures)
    assert got == sorted((FILE, line, column, rule) for column, rule in expected)
    assert refused.rejected_lines == {line}
    assert list(refused.frame["_line"]) == [FIRST_LINE + i for i in range(len(before))]  # the bad row is out
    assert all(f.message for f in refused.failures)


def test_every_cross_column_rule_has_a_case():
    covered = {rule for p in CASES for _, rule in p.values[4]}
    for table in ("regulator_reported_actions", "incidents", "platform_reported_requests"):
        names = {rule["name"] for rule in load_contract(table).rules}
        assert names <= covered, f"{table}: no test case for {sorted(names - covered)}"


@pytest.mark.parametrize(
    "table, row",
    [
        pytest.param(
            "regulator_reported_actions", {"urls_processed": None, "urls_blocked": "90"}, id="blocked-without-processed"
        ),
        pytest.param(
            "incidents",
            {"killed_total": "10", "killed_security": "6", "killed_civilians": "6"},
            id="sum-rule-needs-all-components",
        ),
        pytest.param("incidents", {"period_start": "2014-12-31", "period_end": "2014-12-31"}, id="one-day-period"),
        pytest.param(
            "platform_reported_requests",
            {"pct_removed_legal": "82", "pct_no_action_taken": "20"},
            id="shares-102-rounding",
        ),
        pytest.param(
            "platform_reported_requests",
            {"requests": None, "requests_qualifier": "?", "items_requested": None, "items_requested_qualifier": "<10"},
            id="both-suppressed",
        ),
        pytest.param("platform_reported_requests", {"country_code": "INTERPOL"}, id="interpol"),
        pytest.param(
            "regulator_reported_actions",
            {"date_precision": "unknown", "as_of": None, "date_label": "undated"},
            id="undated-snapshot",
        ),
    ],
)
def test_rows_that_must_pass(table, row):
    """NULL operands pass a rule; boundaries are inclusive."""
    result = check(table, [{**BASE[table], **row}])
    assert result.failures == []
    assert len(result.frame) == 1


def test_every_failure_of_a_row_is_reported():
    result = check(
        "incidents",
        [
            BASE["incidents"],
            {
                **BASE["incidents"],
                "region_label": "Sindh",
                "period_end": "2014-02-30",
                "killed_total": "-3",
                "source_org": "BBC",
            },
        ],
    )
    assert sorted((f.line, f.column, f.rule) for f in result.failures) == [
        (FIRST_LINE + 1, "killed_total", "minimum"),
        (FIRST_LINE + 1, "period_end", "type_date"),
        (FIRST_LINE + 1, "source_org", "enum"),
    ]
    assert list(result.frame["_line"]) == [FIRST_LINE]


def test_failure_for_a_missing_column_is_a_source_error():
    from etl.errors import SourceError

    frame = frame_of("incidents", [BASE["incidents"]]).drop(columns=["period_end"])
    with pytest.raises(SourceError, match="missing required column.*period_end"):
        validate(frame, load_contract("incidents"), FILE, REFERENCES)


@pytest.mark.parametrize("value", ["99999999999999999999", "١٢٠٦"], ids=["beyond-bigint", "arabic-indic-digits"])
def test_integer_that_cannot_be_stored_is_quarantined(value):
    result = check("incidents", [{**BASE["incidents"], "attacks": value}])
    assert [(f.line, f.column) for f in result.failures] == [(FIRST_LINE, "attacks")]
    assert result.frame.empty
