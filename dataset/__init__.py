"""The published dataset as both sides see it: the ETL writes it, the dashboard reads it.

What lives here is the agreement between them and nothing of either side's workings: where the published
folder is and which file ``LATEST`` names (``location``), the tables the ETL writes itself and the disclosure
rule's wording, which the release carries (``tables``), the CSV writer every export and download uses
(``safe_csv``), and whether the writer whose process id names a leftover is still running (``process``). This
package imports neither ``etl`` nor ``dashboard``.
"""
