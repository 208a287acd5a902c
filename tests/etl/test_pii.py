"""Identifier-like values (personal data) are refused in label and free-text columns, and never echoed."""

from __future__ import annotations

import pytest

from .test_contracts import BASE, FIRST_LINE, check

LABEL = "definition_as_printed"  # incidents: a plain label column
FREE_TEXT = "note"  # incidents: x-text-kind free_text

IDENTIFIERS = [
    pytest.param("press.office@pta.gov.pk", "pii_email", id="email"),
    pytest.param("+92 300 1234567", "pii_phone", id="phone-intl"),
    pytest.param("0300-1234567", "pii_phone", id="phone-dash"),
    pytest.param("03001234567", "pii_phone", id="phone-bare"),
    pytest.param("12345-1234567-1", "pii_cnic", id="cnic-dashed"),
    pytest.param("1234512345671", "pii_cnic", id="cnic-bare"),
    pytest.param("192.168.10.24", "pii_ip_address", id="ipv4"),
    pytest.param("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "pii_ip_address", id="ipv6-full"),
    pytest.param("2001:db8::1", "pii_ip_address", id="ipv6-compressed"),
    pytest.param("::1", "pii_ip_address", id="ipv6-loopback"),
    pytest.param("fe80::1ff:fe23:4567:890a", "pii_ip_address", id="ipv6-link-local"),
    pytest.param("::ffff:c000:280", "pii_ip_address", id="ipv6-mapped"),
    pytest.param("@pta_watch", "pii_handle", id="handle"),
]
ORDINARY = [
    "1,135,814",
    "2024-2025",
    "PECA 2016 §37",
    "14–22 Sep 2022",
    "2022-09-14/22",
    "Section 37(1), 2,203 items",
    "10:30",  # times and ratios have colons, but are no address
    "at 10:30:45 PKT",
    "ratio 3:1:2",
]


def _refused(column: str, value: str, rule: str) -> None:
    row = {**BASE["incidents"], column: value}
    result = check("incidents", [row])
    assert [(f.line, f.column, f.rule) for f in result.failures] == [(FIRST_LINE, column, rule)]
    assert result.frame.empty
    for failure in result.failures:
        for text in (failure.message, str(failure), repr(failure)):
            assert value not in text
        assert failure.message  # says what is wrong, without the value


@pytest.mark.parametrize("value, rule", IDENTIFIERS)
def test_identifier_alone_in_a_label_column_is_refused(value, rule):
    _refused(LABEL, value, rule)


@pytest.mark.parametrize("value, rule", IDENTIFIERS)
def test_identifier_inside_free_text_is_refused(value, rule):
    _refused(FREE_TEXT, f"figure confirmed by {value} on request", rule)


def test_url_in_a_label_column_is_refused():
    _refused(LABEL, "https://x.com/some_account", "pii_url")


def test_url_in_a_free_text_note_is_allowed():
    note = "headline says 1,079; see https://www.dawn.com/news/1229396 and www.pips.org.pk/reports"
    result = check("incidents", [{**BASE["incidents"], FREE_TEXT: note}])
    assert result.failures == []
    assert list(result.frame[FREE_TEXT]) == [note]


@pytest.mark.parametrize("column", [LABEL, FREE_TEXT])
@pytest.mark.parametrize("value", ORDINARY)
def test_ordinary_figures_are_not_refused(column, value):
    result = check("incidents", [{**BASE["incidents"], column: value}])
    assert result.failures == []
    assert list(result.frame[column]) == [value]


def test_an_address_inside_a_sentence_is_refused_with_its_full_stop():
    _refused(FREE_TEXT, "the request named ::1.", "pii_ip_address")
