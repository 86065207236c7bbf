"""`matrix generate`: one workbook per country office (or one per region), named so people can
sort and recognise them, never overwriting without being asked and never leaving half a file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.files import Inputs, describe, write_file
from matrix.i18n import LANGUAGES
from matrix.models.issues import Issue
from matrix.models.plan import Plan
from matrix.models.returns import Narratives, ProgressRecord
from matrix.periods import Period, plan_period
from matrix.signing import ProjectKey, ensure_key


def workbook_name(office: str, period: Period, plan: Plan, lang: str | None = None) -> str:
    """'SDN_2026-Q3_sdn-joint-strategy.xlsx': sorts by office, then period; a workbook in another
    language than the plan's says which ('BDI_2026-Q3_plan_fr.xlsx')."""
    suffix = f"_{lang}" if lang and lang != plan.language else ""
    return f"{office}_{period.id}_{plan.id}{suffix}.xlsx"


def offices_to_write(plan: Plan, countries: list[str] | None, regional: bool) -> list[str]:
    """The offices to write for: the region code, the named countries, or every plan country."""
    if regional:
        if countries:
            raise MatrixError("error.countries_or_regional")
        if plan.region is None:
            raise MatrixError("error.no_region", plan=plan.id)
        return [plan.region.code]
    if not countries:
        return list(plan.countries)
    wanted = list(dict.fromkeys(code.strip().upper() for code in countries))
    unknown = [code for code in wanted if code not in plan.countries]
    if unknown:
        raise MatrixError(
            "error.countries_not_in_plan",
            count=len(unknown),
            codes=unknown,
            plan=plan.id,
            countries=plan.countries,
        )
    return wanted


def after_every_activity(plan: Plan, period: Period) -> Issue | None:
    """A warning when `period` starts after every activity has ended: usually a slip in --period
    or a plan whose end dates need extending. An activity without an end has not ended."""
    ends = [activity.end for _, activity in plan.activities()]
    if not ends or None in ends:
        return None
    last = max(end for end in ends if end is not None)
    if period.start <= last:
        return None
    return Code.PERIOD_AFTER_ACTIVITIES.issue(period=period.id, start=period.start, end=last)


def generate(
    plan: Plan,
    period: str | Period,
    *,
    countries: list[str] | None,
    regional: bool,
    lang: str | None,
    out_dir: Path,
    force: bool = False,
    prefill: Mapping[tuple[str, str], ProgressRecord] | None = None,
    narratives: Mapping[str, Narratives] | None = None,
    progress: Callable[[Path], None] | None = None,
    key: ProjectKey | None = None,
    key_created: Callable[[Path], None] | None = None,
    inputs: Inputs | None = None,
) -> list[Path]:
    """Write the workbooks and return their paths. `countries=None` means every plan country;
    `regional` writes the single regional workbook instead. Each is in `lang`, or with None in
    its office's language (`Plan.office_language`). `prefill` and `narratives` (by office) start
    each workbook from earlier returns. `progress` is called after each file.
    With the project `key`, each workbook's hidden record is signed; a key not made yet is made
    once the request is known to be good, and `key_created` told where. None is written when any
    would overwrite one of `inputs` (the plan, its key, the store pre-filled from)."""
    from matrix.excel.writer import write_workbook

    parsed = plan_period(plan, period)  # a PeriodError is a MatrixError
    languages = {
        office: lang or plan.office_language(office)
        for office in offices_to_write(plan, countries, regional)
    }
    for chosen in dict.fromkeys(languages.values()):
        if chosen not in LANGUAGES:
            raise MatrixError("error.unknown_language", lang=chosen, languages=list(LANGUAGES))
    out_dir = Path(out_dir)
    targets = {
        office: out_dir / workbook_name(office, parsed, plan, languages[office])
        for office in languages
    }
    if inputs is not None:
        for path in targets.values():
            inputs.refuse(path)
    existing = [str(path) for path in targets.values() if path.exists()]
    if existing and not force:
        raise MatrixError("error.workbooks_exist", count=len(existing), paths=existing)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MatrixError("error.cannot_create", path=out_dir, reason=describe(exc)) from None
    secret = None
    if key is not None:
        project_key, created = ensure_key(key)
        secret = project_key.secret
        if created and key_created:
            key_created(project_key.path)

    written = []
    for office, path in targets.items():
        write_file(
            path,
            partial(
                write_workbook,
                plan,
                office,
                parsed,
                languages[office],
                regional=regional,
                prefill=prefill,
                key=secret,
                narratives=(narratives or {}).get(office),
            ),
            inputs=inputs,
        )
        written.append(path)
        if progress:
            progress(path)
    return written
