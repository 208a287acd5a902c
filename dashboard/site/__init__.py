"""Every release as a static, versioned site: one page per chart in English and Urdu, with its CSV, JSON, SVG, PNG
and embed page at stable addresses, an index, a feed of what changed, a sitemap and the list of releases.

``python -m dashboard.site`` writes ``<published>/site/<version>/`` for the release ``LATEST`` names, in a staging
folder renamed into place only when complete, then switches ``<published>/site/latest`` (a symbolic link) to it
with one atomic rename. A versioned folder is never rewritten; ``latest`` moves.

Plain Python, no Streamlit: the charts come from ``dashboard.registry`` (every chart there gets its pages), the
numbers from the same queries the dashboard runs, the CSV from the one safe writer.
"""

from __future__ import annotations

from dashboard.site.urls import LANGS, LATEST, SITE_DIR, chart_file, published_site_versions, site_url

__all__ = ["LANGS", "LATEST", "SITE_DIR", "chart_file", "published_site_versions", "site_url"]
