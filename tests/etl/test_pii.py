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


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://example.org/contact?mail=press.office%40pta.gov.pk", id="email-percent-encoded"),
        pytest.param("https://example.org/report/press.office@pta.gov.pk/", id="email-in-path"),
        pytest.param("https://example.org/cases?phone=0300-1234567", id="phone-in-query"),
        pytest.param("https://example.org/p/%2B92%20300%201234567", id="phone-intl-encoded"),
        pytest.param("https://example.org/verify/12345-1234567-1#top", id="cnic-in-path"),
    ],
)
def test_an_identifier_hidden_in_a_citation_url_is_refused(url):
    _refused("citation_url", url, "pii_in_url")


@pytest.mark.parametrize(
    ("url", "rules"),
    [
        pytest.param("http://intranet/report", {"url_form"}, id="no-host-name"),
        pytest.param("ftp://example.org/report.pdf", {"url_form", "pattern"}, id="scheme"),
        pytest.param("https://example.org/a report.pdf", {"url_form", "pattern"}, id="whitespace"),
    ],
)
def test_a_citation_url_must_be_a_web_address(url, rules):
    row = {**BASE["incidents"], "citation_url": url}
    result = check("incidents", [row])
    assert {(f.line, f.column) for f in result.failures} == {(FIRST_LINE, "citation_url")}
    assert {f.rule for f in result.failures} == rules
    assert all(url not in f.message for f in result.failures)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.dawn.com/news/1857123",
        "https://example.org/2024/01/17/report-1700000000000.html",  # a 13-digit timestamp is no CNIC
        "https://tribune.com.pk/story/2451234/pta-blocked-urls?page=2",
    ],
)
def test_ordinary_citation_urls_pass(url):
    row = {**BASE["incidents"], "citation_url": url}
    assert check("incidents", [row]).failures == []
