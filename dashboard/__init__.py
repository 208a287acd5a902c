"""Streamlit dashboard, read-only over the dataset the ETL publishes."""
