"""Takedown requests: what platforms say they received, what the regulator says it sent, and Pakistan among countries."""

import streamlit as st

from dashboard import filters, i18n, queries
from dashboard.blocks import draw
from dashboard.i18n import _
from dashboard.registry import CHARTS, Choice

first, last = queries.year_bounds()
year_from, year_to = filters.period(first, last)
platform_options = queries.platform_options()
platforms = filters.choose_many(_("Platforms"), platform_options, "platform_id", "name", key="platforms")
category_options = queries.category_options()
categories = filters.choose_many(_("Categories"), category_options, "category_id", "name", key="categories")
show_events = filters.switch(_("Show events on time axes"), key="events")
events = queries.events(queries.TAKEDOWN_EVENT_KINDS) if show_events else None
country_list = queries.countries()
compare = filters.choose_many(
    _("Compare with"),
    country_list,
    "country_code",
    "country_name",
    key="compare",
    default=["PK", "IN", "TR", "RU"],
    help=_("Countries to compare with Pakistan in Google's figures"),
)

choice = Choice(year_from, year_to, platforms, categories, events=events, countries=compare)

st.title(_("Takedown requests"))
filters.show_link_notice()
st.markdown(
    _(
        "Two ledgers that do not measure the same thing: what **platforms report** receiving from Pakistan "
        "(per half-year), and what the **regulator (PTA)** reports sending and blocking (mostly running totals "
        "as of a date). Neither is added to the other."
    )
)

st.header(_("As the platforms report them"))
draw(CHARTS["google-requests-items"], choice)
draw(CHARTS["google-by-requester"], choice)
draw(CHARTS["google-by-product"], choice)
draw(CHARTS["google-by-category"], choice)
draw(CHARTS["meta-x-tiktok"], choice)

st.header(_("As the regulator reports them"))
pta = draw(CHARTS["pta-blocked-by-platform"], choice)
undated = pta[pta["date_precision"] == "unknown"]
if not undated.empty:
    st.caption(
        i18n.ngettext(
            "{n} figure in this selection comes from a report whose year is not known "
            "(shown in the table as '16 Apr, year unknown'); it is not placed on the time axis.",
            "{n} figures in this selection come from a report whose year is not known "
            "(shown in the table as '16 Apr, year unknown'); they are not placed on the time axis.",
            len(undated),
        ).format(n=i18n.num(len(undated)))
    )
draw(CHARTS["pta-blocked-by-category"], choice)

st.header(_("Pakistan among countries"))
draw(CHARTS["google-country-comparison"], choice)
