"""Streamlit dashboard, read-only over the dataset the ETL publishes."""

import pandas as pd

# The dashboard's tables are small (a few to a few hundred rows) and are filtered, grouped and compared row by
# row: pandas' Python-backed strings do that several times faster than its default Arrow-backed ones, which pay
# a conversion on every small operation. Same "str" dtype and missing-value rules either way.
pd.set_option("mode.string_storage", "python")
