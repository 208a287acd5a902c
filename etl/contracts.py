"""Contracts as data: one Table Schema per table, used to validate, to create tables and to publish.

Each ``data/contracts/<table>.json`` holds Frictionless Table Schema vocabulary (fields with type,
description and constraints; primaryKey; foreignKeys; missingValues) plus ``rules``: cross-column
checks written as SQL boolean expressions over the typed row. Validation is lazy: every failure of
every row is reported (file, line, column, rule), and a row with any failure is quarantined.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from etl.errors import Failure, SourceError
from etl.paths import CONTRACTS_DIR
from etl.pii import CHECKS_BY_KIND, IDENTIFIER_PATTERNS, identifier_rule
from etl.readers import LINE

DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "boolean": "BOOLEAN"}
TYPE_PATTERNS = {
    # ASCII digits only, and no more than fits a 64-bit integer: anything else is refused, not cast.
    "integer": re.compile(r"-?[0-9]{1,18}"),
    "number": re.compile(r"-?[0-9]{1,18}(\.[0-9]{1,12})?"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),  # ASCII digits: \d would also take ۲۰۲۵
    "boolean": re.compile(r"true|false"),
}
TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "date": "a date (YYYY-MM-DD)",
    "boolean": "true or false",
}


def quote(identifier: str) -> str:
    """Quote an identifier taken from a contract (never from user input) for SQL."""
    return '"' + identifier.replace('"', '""') + '"'


@dataclass(frozen=True)
class Contract:
    """A table's published schema and the rules its rows must keep."""

    doc: dict

    @property
    def name(self) -> str:
        return self.doc["name"]

    @property
    def fields(self) -> list[dict]:
        return self.doc["schema"]["fields"]

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def primary_key(self) -> list[str]:
        return self.doc["schema"].get("primaryKey", [])

    @property
    def foreign_keys(self) -> list[dict]:
        return self.doc["schema"].get("foreignKeys", [])

    @property
    def rules(self) -> list[dict]:
        return self.doc.get("rules", [])

    def create_table_sql(self) -> str:
        columns = ",\n  ".join(f"{quote(f['name'])} {DUCKDB_TYPES[f['type']]}" for f in self.fields)
        return f"CREATE TABLE {quote(self.name)} (\n  {columns}\n)"

    def cast_select_sql(self, relation: str) -> str:
        """SELECT that turns the validated text columns of ``relation`` into the contract's types."""
        casts = [f"CAST({quote(f['name'])} AS {DUCKDB_TYPES[f['type']]}) AS {quote(f['name'])}" for f in self.fields]
        return f"SELECT {', '.join(casts)}, {quote(LINE)} FROM {quote(relation)}"  # noqa: S608 (contract identifiers)


# The vocabulary this module implements; anything else in a contract is refused when it is loaded rather than
# silently ignored (a ``minLength`` that nothing checks would read as a promise the data does not keep).
CONTRACT_KEYS = {"name", "title", "description", "schema", "rules"}
SCHEMA_KEYS = {"fields", "primaryKey", "foreignKeys", "missingValues"}
FIELD_KEYS = {"name", "type", "description", "constraints", "x-text-kind"}
CONSTRAINT_KEYS = {"required", "unique", "pattern", "enum", "minimum", "maximum", "maxLength"}
FOREIGN_KEY_KEYS = {"fields", "reference"}
REFERENCE_KEYS = {"resource", "fields"}
RULE_KEYS = {"name", "description", "check", "sql"}  # ``sql``: an identity the ETL keeps by construction


def _unknown(keys, known: set[str], file: str, where: str) -> None:
    extra = sorted(set(keys) - known)
    if extra:
        raise SourceError(
            f"{file}: {where} has {', '.join(map(repr, extra))}, which contracts do not implement "
            f"(known: {', '.join(sorted(known))})."
        )


def check_vocabulary(doc: dict, file: str) -> None:
    """Refuse a contract that uses Table Schema vocabulary this module does not implement: unknown keys at any
    level, an unknown field type or text kind, missing values other than the empty cell, and foreign keys whose
    fields are not the table's or do not pair one to one with the referenced fields."""
    _unknown(doc, CONTRACT_KEYS, file, "the contract")
    schema = doc.get("schema", {})
    _unknown(schema, SCHEMA_KEYS, file, "the schema")
    if schema.get("missingValues", [""]) != [""]:
        raise SourceError(f'{file}: missingValues other than [""] (an empty cell) are not implemented.')
    names = set()
    for field in schema.get("fields", []):
        name = field.get("name", "?")
        names.add(name)
        _unknown(field, FIELD_KEYS, file, f"field {name!r}")
        _unknown(field.get("constraints", {}), CONSTRAINT_KEYS, file, f"the constraints of field {name!r}")
        if field.get("type") not in DUCKDB_TYPES:
            raise SourceError(f"{file}: field {name!r} has type {field.get('type')!r}, which is not implemented.")
        if field.get("x-text-kind", "label") not in CHECKS_BY_KIND:
            raise SourceError(f"{file}: field {name!r} has an unknown x-text-kind {field['x-text-kind']!r}.")
    for fk in schema.get("foreignKeys", []):
        _unknown(fk, FOREIGN_KEY_KEYS, file, "a foreign key")
        _unknown(fk.get("reference", {}), REFERENCE_KEYS, file, "a foreign key's reference")
        fields, targets = fk.get("fields"), fk.get("reference", {}).get("fields")
        if not isinstance(fields, list) or not isinstance(targets, list) or not fields or len(fields) != len(targets):
            raise SourceError(f"{file}: a foreign key needs lists of fields and referenced fields of equal length.")
        if not set(fields) <= names:
            raise SourceError(f"{file}: foreign key fields {fields} are not all fields of the table.")
    for rule in doc.get("rules", []):
        _unknown(rule, RULE_KEYS, file, f"rule {rule.get('name', '?')!r}")


@cache
def load_contract(name: str, directory: Path = CONTRACTS_DIR) -> Contract:
    path = directory / f"{name}.json"
    if not path.exists():
        raise SourceError(f"No contract for table {name!r} ({path.name}).")
    doc = json.loads(path.read_text(encoding="utf-8"))
    check_vocabulary(doc, path.name)
    return Contract(doc)


def all_contracts(directory: Path = CONTRACTS_DIR) -> list[Contract]:
    return [load_contract(p.stem, directory) for p in sorted(directory.glob("*.json"))]


@dataclass
class Validated:
    """Rows that passed (as text, ready to cast) and every failure found."""

    frame: pd.DataFrame
    failures: list[Failure]
    rejected_lines: set[int]


def _field_failures(values: pd.Series, field: dict) -> dict[str, pd.Series]:
    """Per rule, a boolean mask of the values that break it.

    The value rules are checked once per distinct value and spread back to the rows: source columns repeat a few
    labels and counts over thousands of rows. Only ``required`` and ``unique`` look at the rows themselves.
    """
    constraints = field.get("constraints", {})
    present = values.notna()
    codes, distinct = pd.factorize(values, use_na_sentinel=True)  # NA rows get -1 and break no value rule
    masks: dict[str, pd.Series] = {}
    if constraints.get("required"):
        masks["required"] = ~present
    by_value = _value_failures(pd.Series(distinct, dtype="string"), field)

    def spread(rules) -> None:
        for rule in rules:
            broken = np.append(by_value[rule].to_numpy(dtype=bool, na_value=False), False)  # [-1]: missing rows
            masks[rule] = pd.Series(broken[codes], index=values.index)

    # Failures are listed rule by rule in this order: form and range, then repeats, then identifiers.
    spread(rule for rule in by_value if rule not in IDENTIFIER_PATTERNS)
    if constraints.get("unique"):
        masks["unique"] = present & values.duplicated(keep="first")
    spread(rule for rule in by_value if rule in IDENTIFIER_PATTERNS)
    return masks


def _value_failures(values: pd.Series, field: dict) -> dict[str, pd.Series]:
    """Per rule that looks at one value alone, a mask of the (non-missing, distinct) ``values`` that break it."""
    constraints = field.get("constraints", {})
    masks: dict[str, pd.Series] = {}
    ftype = field["type"]
    if ftype in TYPE_PATTERNS:
        bad_type = ~values.str.fullmatch(TYPE_PATTERNS[ftype]).astype(bool)
        if ftype == "date":
            parsed = pd.to_datetime(values.where(~bad_type), format="%Y-%m-%d", errors="coerce")
            bad_type |= ~bad_type & parsed.isna()
        masks[f"type_{ftype}"] = bad_type
        ok = ~bad_type
        numbers = pd.to_numeric(values.where(ok), errors="coerce") if ftype in ("integer", "number") else None
        if numbers is not None and "minimum" in constraints:
            masks["minimum"] = ok & (numbers < constraints["minimum"])
        if numbers is not None and "maximum" in constraints:
            masks["maximum"] = ok & (numbers > constraints["maximum"])
    if "enum" in constraints:
        masks["enum"] = ~values.isin(constraints["enum"])
    if "pattern" in constraints:
        masks["pattern"] = ~values.str.fullmatch(constraints["pattern"]).astype(bool)
    if "maxLength" in constraints:
        masks["max_length"] = values.str.len() > constraints["maxLength"]
    if ftype == "string":
        found = identifier_rule(values, field.get("x-text-kind", "label"))
        for rule in found.dropna().unique():
            masks[rule] = found == rule
    return masks


RULE_MESSAGES = {
    "required": "a value is required",
    "enum": "not one of the allowed values",
    "pattern": "does not have the required form",
    "minimum": "below the allowed minimum",
    "maximum": "above the allowed maximum",
    "max_length": "longer than allowed",
    "unique": "repeats a value that must be unique",
    "pii_email": "looks like an e-mail address; aggregate inputs must not hold personal identifiers",
    "pii_cnic": "looks like a CNIC number; aggregate inputs must not hold personal identifiers",
    "pii_phone": "looks like a phone number; aggregate inputs must not hold personal identifiers",
    "pii_ip_address": "looks like an IP address; aggregate inputs must not hold personal identifiers",
    "pii_url": "holds a URL in a value column; aggregate inputs must not hold identifiers",
    "pii_handle": "looks like an @handle; aggregate inputs must not hold personal identifiers",
    "url_form": "is not a web address (http or https, a host name, no spaces)",
    "pii_in_url": "a web address with an e-mail address, phone number or CNIC in it; aggregate inputs must not "
    "hold personal identifiers",
}


def _message(rule: str) -> str:
    if rule.startswith("type_"):
        return "is not " + TYPE_WORDS[rule[5:]]
    return RULE_MESSAGES[rule]


def validate(
    frame: pd.DataFrame, contract: Contract, file_name: str, references: dict[tuple, set] | None = None
) -> Validated:
    """Check every value and every row of ``frame`` (text columns + ``_line``) against ``contract``."""
    missing = [name for name in contract.field_names if name not in frame.columns]
    if missing:
        raise SourceError(f"{file_name}: missing required column(s) {', '.join(missing)} for table {contract.name}.")
    failures: list[Failure] = []
    lines = frame[LINE]

    def record(mask: pd.Series, column: str | None, rule: str, message: str) -> None:
        broken = mask.to_numpy(dtype=bool, na_value=False)
        if not broken.any():
            return
        for line in lines[broken]:
            failures.append(Failure(file_name, int(line), column, rule, message))

    for field in contract.fields:
        for rule, mask in _field_failures(frame[field["name"]], field).items():
            record(mask, field["name"], rule, _message(rule))
    for fk in contract.foreign_keys:
        resource, targets, columns = fk["reference"]["resource"], fk["reference"]["fields"], fk["fields"]
        if len(columns) == 1:  # a single field: its value among the referenced table's values
            known = (references or {}).get((resource, targets[0]))
            if known is None:
                continue
            values = frame[columns[0]]
            record(
                values.notna() & ~values.isin(known), columns[0], "foreign_key", f"not a known {resource}.{targets[0]}"
            )
            continue
        # Composite: every field together, as a tuple among the referenced rows' tuples (a row with an empty
        # key field is not checked, as a single empty field is not).
        known = (references or {}).get((resource, tuple(targets)))
        if known is None:
            continue
        keys = frame[columns]
        complete = keys.notna().all(axis=1)
        found = pd.Series([tuple(row) in known for row in keys.itertuples(index=False, name=None)], index=frame.index)
        record(complete & ~found, ",".join(columns), "foreign_key", f"not a known {resource} ({', '.join(targets)})")
    if contract.primary_key:
        keys = frame[contract.primary_key].fillna("\x00")
        record(
            keys.duplicated(keep="first"),
            ",".join(contract.primary_key),
            "primary_key_duplicate",
            "repeats the key of an earlier row",
        )

    rejected = {line for f in failures if (line := f.line) is not None}  # every failure here has its line
    passing = frame[~lines.isin(rejected)]
    failures.extend(_rule_failures(passing, contract, file_name))
    rejected = {line for f in failures if (line := f.line) is not None}
    return Validated(
        frame=frame[~lines.isin(rejected)].reset_index(drop=True), failures=failures, rejected_lines=rejected
    )


def _rule_failures(frame: pd.DataFrame, contract: Contract, file_name: str) -> list[Failure]:
    """Cross-column rules, evaluated by DuckDB on the typed rows (NULL operands pass)."""
    if frame.empty or not contract.rules:
        return []
    con = duckdb.connect()
    try:
        con.register("staged_text", frame[[*contract.field_names, LINE]])
        con.execute(f"CREATE TEMP VIEW staged AS {contract.cast_select_sql('staged_text')}")
        failures = []
        for rule in contract.rules:
            columns = [n for n in contract.field_names if re.search(rf"\b{re.escape(n)}\b", rule["check"])]
            broken = con.execute(
                f"SELECT {quote(LINE)} FROM staged WHERE NOT coalesce(({rule['check']}), true) ORDER BY 1"  # noqa: S608 (rule text from the repo's contract)
            ).fetchall()
            failures += [
                Failure(file_name, int(line), ",".join(columns), rule["name"], rule["description"] + " (broken)")
                for (line,) in broken
            ]
        return failures
    finally:
        con.close()
