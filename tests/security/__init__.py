"""Security and reliability: serving configuration, database lockdown, hostile input, crash safety, load."""
