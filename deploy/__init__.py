"""The deployment: nginx in front of Streamlit replicas under supervisord, rendered from templates (docs/DEPLOY.md)."""
