"""Schema problems in plain words: each kind of pydantic error has its own code (`ERROR_CODES`)
and a message that says what was found and what to write instead, never the library's wording."""

from __future__ import annotations

import difflib
import re
import types
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from matrix.codes import Code, did_you_mean
from matrix.i18n import Phrase, phrase
from matrix.models import plan as plan_models
from matrix.models.issues import Issue
from matrix.models.plan import ID_PATTERN, SCHEMA_VERSION, Plan
from matrix.periods import Period
from matrix.plan.lines import Path_

_NUMBER = (
    "int_type",
    "int_parsing",
    "int_from_float",
    "float_type",
    "float_parsing",
    "finite_number",
    "decimal_type",
    "decimal_parsing",
)
_DATE = (
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "datetime_type",
    "datetime_parsing",
)

ERROR_CODES: dict[str, Code] = {
    "missing": Code.MISSING_FIELD,
    "extra_forbidden": Code.UNKNOWN_FIELD,
    "string_pattern_mismatch": Code.INVALID_ID,
    "string_type": Code.NOT_TEXT,
    "string_too_short": Code.EMPTY_TEXT,
    "string_too_long": Code.PLAN_TEXT_TOO_LONG,
    **dict.fromkeys(_NUMBER, Code.NOT_A_NUMBER_IN_PLAN),
    "greater_than_equal": Code.NUMBER_TOO_SMALL,
    "greater_than": Code.NUMBER_TOO_SMALL,
    "less_than_equal": Code.NUMBER_TOO_LARGE,
    "less_than": Code.NUMBER_TOO_LARGE,
    "bool_type": Code.NOT_TRUE_FALSE,
    "bool_parsing": Code.NOT_TRUE_FALSE,
    **dict.fromkeys(_DATE, Code.INVALID_DATE),
    "enum": Code.INVALID_CHOICE,
    "literal_error": Code.INVALID_CHOICE,
    "list_type": Code.NOT_A_LIST,
    "tuple_type": Code.NOT_A_LIST,
    "set_type": Code.NOT_A_LIST,
    "dict_type": Code.NOT_A_MAPPING,
    "model_type": Code.NOT_A_MAPPING,
    "model_attributes_type": Code.NOT_A_MAPPING,
    "too_short": Code.LIST_TOO_SHORT,
    "too_long": Code.LIST_TOO_LONG,
    "value_error": Code.INVALID_VALUE,
    "assertion_error": Code.INVALID_VALUE,
}
"""Pydantic's error type -> our code. A type not listed here is reported as `invalid-value`."""

_SINGULAR = {
    "objectives": "objective",
    "activities": "activity",
    "actors": "actor",
    "indicators": "indicator",
    "action_points": "action_point",
    "headings": "overview_heading",
}
"""List fields whose items have a kind in the catalogue (`plan.kind.<kind>`); others are named by
their field."""
_TAGS = {"str", "int", "float", "bool", "date", "constrained-str"}
_LIST_EXAMPLES = {"countries": "SDN, ETH", "partners": "IOM, UNICEF"}


@dataclass(frozen=True)
class SchemaError:
    """One pydantic error, located in the plan's own data (`path`, keys as the plan writes them)."""

    path: Path_
    type: str
    input: Any
    ctx: dict[str, Any]
    message: str

    @property
    def at(self) -> Path_:
        """Where to point: a missing field's owner, since the field itself was never written."""
        return self.path[:-1] if self.type == "missing" else self.path


def schema_errors(error: ValidationError, data: Any) -> list[SchemaError]:
    """The errors worth reporting, one per place: a union's alternatives that failed at a value
    whose parts also failed (framework given as a mapping with a bad part) are left out."""
    found: dict[Path_, SchemaError] = {}
    for err in error.errors():
        path = clean_loc(err["loc"], data)
        found.setdefault(
            path, SchemaError(path, err["type"], err.get("input"), err.get("ctx") or {}, err["msg"])
        )
    paths = list(found)
    return [
        e
        for e in found.values()
        if e.type in ("missing", "extra_forbidden")
        or not any(len(p) > len(e.path) and p[: len(e.path)] == e.path for p in paths)
    ]


def clean_loc(loc: tuple, data: Any) -> Path_:
    """Drop pydantic's union-member tags ('str', 'Framework', 'function-after[...]') and key markers
    from a location, keeping every part that names a key of the data (such as 'AP3')."""
    path: list[str | int] = []
    node = data
    for part in loc:
        key = key_in(node, part)
        tag = not isinstance(part, int) and (part[:1].isupper() or "[" in part or part in _TAGS)
        if key is None and tag:
            continue
        path.append(part)
        node = node[key] if key is not None else None
    return tuple(path)


def key_in(node: Any, part: str | int) -> Any:
    """The key or index of `node` that `part` names (YAML's `5:` is the number 5), else None."""
    if isinstance(node, dict):
        return next((key for key in node if str(key) == str(part)), None)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return part
    return None


def value_at(data: Any, path: Path_) -> Any:
    node = data
    for step in path:
        key = key_in(node, step)
        if key is None:
            return None
        node = node[key]
    return node


def _kind(field: str) -> Phrase | str:
    """'activity' for a list field whose items the catalogue names, else the field itself."""
    return phrase(f"plan.kind.{_SINGULAR[field]}") if field in _SINGULAR else field


def describe(data: Any, path: Path_) -> Phrase | str:
    """'activity AP3-2' for the innermost object with an id along `path`, else 'plan'."""
    where: Phrase | str = phrase("plan.where.plan")
    for i, step in enumerate(path):
        key = key_in(data, step)
        if key is None:
            break
        data = data[key]
        if i == 1 and path[0] == "guidance":
            where = phrase("plan.where.guidance", ref=str(step))
        elif isinstance(step, int) and i > 0 and isinstance(parent := path[i - 1], str):
            ident = data.get("id") or data.get("name") if isinstance(data, dict) else None
            if isinstance(ident, dict):  # a translated name: its first text
                ident = next(iter(ident.values()), None)
            where = (
                phrase("plan.where.named", kind=_kind(parent), id=str(ident))
                if ident
                else phrase("plan.where.numbered", kind=_kind(parent), number=step + 1)
            )
    if (
        where == phrase("plan.where.plan") and len(path) > 1 and path[0] != "guidance"
    ):  # iati.reporting_org
        where = ".".join(str(step) for step in path[:-1])
    return where


# --- the models along a path --------------------------------------------------------------------


def _alternatives(annotation: Any) -> Iterator[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _alternatives(get_args(annotation)[0])
    elif origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            yield from _alternatives(arg)
    else:
        yield annotation


def _model(annotation: Any) -> type[BaseModel] | None:
    return next(
        (a for a in _alternatives(annotation) if isinstance(a, type) and issubclass(a, BaseModel)),
        None,
    )


def _step(annotation: Any, step: str | int) -> Any:
    for alternative in _alternatives(annotation):
        model = _model(alternative)
        if model is not None and isinstance(step, str) and step in model.model_fields:
            return model.model_fields[step].annotation
        origin = get_origin(alternative)
        if origin is list and isinstance(step, int):
            return get_args(alternative)[0]
        if origin is dict and not isinstance(step, int):
            return get_args(alternative)[1]
    return None


def owners(path: Path_) -> list[tuple[int, type[BaseModel], str]]:
    """(position in `path`, model, field) for every step of `path` that is a field of a model."""
    found, annotation = [], Plan
    for i, step in enumerate(path):
        model = _model(annotation)
        if model is not None and isinstance(step, str) and step in model.model_fields:
            found.append((i, model, step))
        annotation = _step(annotation, step)
        if annotation is None:
            break
    return found


def model_at(path: Path_) -> type[BaseModel] | None:
    """The model the value at `path` should be, if it should be one."""
    annotation: Any = Plan
    for step in path:
        annotation = _step(annotation, step)
        if annotation is None:
            return None
    return _model(annotation)


# --- plain words --------------------------------------------------------------------------------


def _problem(error: SchemaError) -> Phrase:
    """What is wrong with a value no code of its own names: our validators say it in the
    catalogue (`plan.problem.<type>`); anything else keeps its validator's words."""
    if error.type.startswith("matrix."):
        return phrase(f"plan.problem.{error.type.removeprefix('matrix.')}", **error.ctx)
    return phrase("plan.problem.other", detail=str(error.ctx.get("error", error.message)))


def shown(value: Any) -> Phrase | str:
    """A value as the plan would write it, short: 'A1.1', {amount: 5000, currency: EUR}, nothing."""
    if value is None:
        return phrase("plan.value.nothing")
    if isinstance(value, str):
        text = f"'{value}'"
    else:
        text = (
            yaml.safe_dump(
                value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10_000
            )
            .strip()
            .removesuffix("...")
            .strip()
        )
    return text if len(text) <= 80 else text[:77] + "..."


def suggest_id(value: Any) -> str:
    """The id a mistyped one was probably meant to be: 'A1.1' -> 'A1-1', 'Activité 2' ->
    'Activite-2'."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-_")[:40].rstrip("-_")
    return text or "A1"


def _squeezed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _id_suggestion(data: Any, error: SchemaError, field: str) -> str:
    """For a lead or partner, the actor it names; else the id with its wrong characters replaced."""
    if field in ("lead", "partners") and isinstance(data.get("actors"), list):
        actors = [
            a["id"] for a in data["actors"] if isinstance(a, dict) and isinstance(a.get("id"), str)
        ]
        same = [a for a in actors if _squeezed(a) == _squeezed(str(error.input))]
        if same:
            return same[0]
    return suggest_id(error.input)


def _choices(error: SchemaError) -> list[str]:
    return re.findall(r"'([^']*)'", str(error.ctx.get("expected", "")))


def _list_example(value: Any, field: str) -> str:
    if isinstance(value, str) and value.strip():
        return ", ".join(part for part in re.split(r"[\s,;]+", value.strip()) if part)
    return _LIST_EXAMPLES.get(field, "...")


def _number(value: Any) -> Any:
    """0.0 as 0: YAML and pydantic make floats of what people wrote as whole numbers."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _budget_fix(value: Any) -> Phrase:
    """'`budget: 250000` and `currency: EUR`' from {amount: 250000, currency: EUR} or '250,000
    EUR'."""
    parts = (
        list(value.values()) if isinstance(value, dict) else re.split(r"\s+", str(value).strip())
    )
    amount: object = next(
        (p for p in parts if isinstance(p, int | float) and not isinstance(p, bool)), None
    )
    if amount is None:
        digits = [re.sub(r"[,'\s]", "", str(p)) for p in parts]
        amount = next((d for d in digits if re.fullmatch(r"\d+(\.\d+)?", d)), None)
    currency = next(
        (p.upper() for p in parts if isinstance(p, str) and re.fullmatch(r"[A-Za-z]{3}", p)), None
    )
    amount = amount if amount is not None else 250000
    if currency:
        return phrase("plan.budget_fix.with_currency", amount=amount, currency=currency)
    return phrase("plan.budget_fix.amount", amount=amount)


def _example_date(data: Any) -> date:
    """A date in the plan's own first period, so examples look like the plan's dates."""
    try:
        return Period.parse(str(data["reporting"]["first_period"])).end
    except (KeyError, TypeError, ValueError):
        return date.today()


def _fields(path: Path_) -> str:
    model = model_at(path)
    return ", ".join(model.model_fields) if model else "..."


def _all_field_names() -> list[str]:
    names: set[str] = set()
    for obj in vars(plan_models).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            names.update(obj.model_fields)
    return sorted(names)


def field_guess(path: Path_, field: str) -> list[str]:
    """The field an unknown key was probably meant to be, among its model's fields first."""
    model = model_at(path[:-1])
    known = list(model.model_fields) if model else []
    return difflib.get_close_matches(field, known, n=1, cutoff=0.7) or difflib.get_close_matches(
        field, _all_field_names(), n=1, cutoff=0.7
    )


def _translation(path: Path_) -> bool:
    """Whether `path` ends at one language's text of a translated field."""
    if len(path) < 2 or not isinstance(path[-1], str) or not isinstance(path[-2], str):
        return False
    model = model_at(path[:-2])
    return (
        model is not None
        and path[-2] in model.model_fields
        and re.fullmatch(r"[a-z]{2,3}", path[-1]) is not None
    )


def schema_issue(error: SchemaError, data: Any, **location: Any) -> Issue:
    """The issue reporting one schema error, in plain words with what to write instead, at
    `location` (the Issue's file and line, or file, sheet and cell)."""
    path = error.path
    field = next((str(p) for p in reversed(path) if isinstance(p, str)), "plan")
    where = describe(data, path)
    named: Phrase | str = field
    if len(path) > 1 and isinstance(path[-1], int):  # a list item: "actor #2", where its list is
        named = phrase("plan.where.numbered", kind=_kind(field), number=path[-1] + 1)
        where = describe(data, path[:-1])
    elif _translation(path):  # `title: {en: ..., fr: [x]}`: "title (fr)"
        named = f"{path[-2]} ({path[-1]})"
    at: dict[str, Any] = {**location, "value": error.input}
    found = shown(error.input)
    code = ERROR_CODES.get(error.type, Code.INVALID_VALUE)
    if path == ("schema_version",) and error.type == "literal_error":
        return Code.UNSUPPORTED_SCHEMA.issue(**at, found=error.input, supported=SCHEMA_VERSION)
    if (
        path == ("countries",)
        and isinstance(error.input, str)
        and error.input.strip().lower() == "all"
    ):
        return Code.PLAN_COUNTRIES_ALL.issue(**at)
    if field == "budget" and code in (Code.NOT_A_NUMBER_IN_PLAN, Code.INVALID_VALUE):
        fix = _budget_fix(error.input)
        return Code.BUDGET_NOT_AN_AMOUNT.issue(**at, where=where, suggestion=fix)
    params: dict[str, Any] = {"where": where, "field": named, "found": found}
    if code is Code.MISSING_FIELD:
        return code.issue(**location, where=where, field=field)
    if code is Code.UNKNOWN_FIELD:
        guess = field_guess(path, field)
        return code.issue(
            **at,
            where=where,
            field=field,
            hint=did_you_mean(guess),
            known=_fields(path[:-1]),
            fix=guess[0] if guess else None,
        )
    if code is Code.INVALID_ID:
        if error.ctx.get("pattern") != ID_PATTERN:
            return Code.INVALID_LANGUAGE.issue(**at, where=where, found=error.input)
        suggestion = _id_suggestion(data, error, field)
        return code.issue(
            **at, fix=suggestion, where=where, field=named, found=error.input, suggestion=suggestion
        )
    if code is Code.INVALID_CHOICE:
        choices = _choices(error)
        guess = difflib.get_close_matches(str(error.input).lower(), choices, n=1, cutoff=0.6)
        params |= {"choices": ", ".join(choices), "hint": did_you_mean(guess)}
        return code.issue(**at, fix=guess[0] if guess else None, **params)
    if code is Code.PLAN_TEXT_TOO_LONG:
        params |= {"length": len(str(error.input)), "limit": error.ctx.get("max_length")}
    elif code in (Code.NUMBER_TOO_SMALL, Code.NUMBER_TOO_LARGE):
        limit = next(iter(error.ctx.values()), "")
        params |= {"limit": _number(limit), "found": _number(error.input)}
    elif code is Code.INVALID_DATE:
        params["example"] = _example_date(data)
    elif code is Code.NOT_A_LIST:
        params["example"] = _list_example(error.input, field)
    elif code is Code.NOT_A_MAPPING:
        params["fields"] = _fields(path)
    elif code in (Code.LIST_TOO_SHORT, Code.LIST_TOO_LONG):
        count = len(error.input) if isinstance(error.input, list | dict) else 0
        limit = error.ctx.get("min_length" if code is Code.LIST_TOO_SHORT else "max_length")
        params |= {"limit": limit, "count": count}
    elif code is Code.INVALID_VALUE:
        return code.issue(
            **at,
            where=where,
            reason=phrase("plan.invalid", field=named, problem=_problem(error), found=found),
        )
    return code.issue(**at, **params)
