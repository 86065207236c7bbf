"""Every version of a plan that matrices were generated from, kept so that a return can always be
read against the exact version it was made from, and which office was sent which version.

A project keeps them in its `.matrix` folder beside the plan, always (a plan version as
`.matrix/plans/<hash>.yaml`, the plan's text under a first line saying when it was first used; the
matrices sent out as lines of `.matrix/issued.jsonl`), and in its store too when it has one, so a
team sharing a PostgreSQL store reads returns generated on another coordinator's machine. Readers
take the two together: the folder holds what was generated before the store existed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from matrix.errors import MatrixError
from matrix.files import describe, write_text
from matrix.i18n import Phrase, phrase, t
from matrix.models.plan import Plan

FOLDER = ".matrix"
VERSIONS_ENV = "MATRIX_VERSIONS"
"""Keeps the folder elsewhere, as `MATRIX_KEY_FILE` does the key."""
_HEADER = re.compile(
    r"# matrix plan (?P<plan_id>\S+) version (?P<hash>[0-9a-f]{64}) first used (?P<first>\S+)"
)


@dataclass(frozen=True)
class PlanVersion:
    plan_id: str
    hash: str
    """`Plan.content_hash()`: what every workbook generated from it records."""
    text: str
    """The plan as written (YAML), or its JSON when it was not read from a YAML file."""
    first_used: datetime
    """When a matrix was first generated from it (or, for versions a store kept before versions
    were, when a return was first collected with it)."""


@dataclass(frozen=True)
class IssuedMatrix:
    """One workbook `generate` wrote: which office got which version for which period."""

    plan_id: str
    plan_hash: str
    office: str
    regional: bool
    period: str
    lang: str
    generated_at: datetime
    file_name: str

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "generated_at": self.generated_at.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IssuedMatrix:
        return cls(**{**data, "generated_at": datetime.fromisoformat(data["generated_at"])})


def version_text(plan: Plan, plan_file: Path | None) -> str:
    """The text to keep for `plan`: its YAML file as written when it reads back as this version,
    else the plan written as YAML (a plan workbook, a plan built in code), else as JSON."""
    if plan_file is not None and plan_file.suffix.lower() in (".yaml", ".yml"):
        try:
            text = plan_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            text = None
        if text is not None and _parsed(text, plan.content_hash()) is not None:
            return text
    from matrix.plan.yaml_writer import plan_yaml

    text = plan_yaml(plan)
    return (
        text if _parsed(text, plan.content_hash()) is not None else plan.model_dump_json(indent=1)
    )


def _parsed(text: str, digest: str) -> Plan | None:
    """The plan `text` holds when it is version `digest`, else None (damaged, or another
    version)."""
    from matrix.plan.load import parse_plan

    plan, _ = parse_plan(text, digest[:12])  # its issues are never shown: a kept version is valid
    return plan if plan is not None and plan.content_hash() == digest else None


@dataclass
class PlanVersions:
    """The versions a project keeps, by hash: what validation reads an older return against."""

    versions: dict[str, PlanVersion] = field(default_factory=dict)
    where: Phrase | str = field(default_factory=lambda: phrase("versions.none_kept"))
    """Where they were looked for, for the message about a version that is not there."""
    last_used: dict[str, datetime] = field(default_factory=dict)
    """Hash -> when a matrix was last generated from it (a plan changed back is used again)."""
    _plans: dict[str, Plan | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(
        cls,
        versions: Iterable[PlanVersion],
        where: Phrase | str,
        issued: Iterable[IssuedMatrix] = (),
    ) -> PlanVersions:
        found: dict[str, PlanVersion] = {}
        for version in versions:
            kept = found.get(version.hash)
            if kept is None or version.first_used < kept.first_used:
                found[version.hash] = version
        last: dict[str, datetime] = {}
        for matrix in issued:
            if matrix.plan_hash not in last or last[matrix.plan_hash] < matrix.generated_at:
                last[matrix.plan_hash] = matrix.generated_at
        return cls(found, where, last)

    def plan(self, digest: str) -> Plan | None:
        """The plan of version `digest`, checked to be that version; None when not kept."""
        if digest not in self._plans:
            version = self.versions.get(digest)
            self._plans[digest] = _parsed(version.text, digest) if version else None
        return self._plans[digest]

    def first_used(self, digest: str) -> datetime | None:
        version = self.versions.get(digest)
        return version.first_used if version else None

    def latest_use(self, digest: str) -> datetime | None:
        """When a matrix was last generated from the version (its first use when not recorded)."""
        uses = [t for t in (self.first_used(digest), self.last_used.get(digest)) if t is not None]
        return max(uses, default=None)

    def history(self, plan_id: str) -> list[PlanVersion]:
        """The plan's versions, oldest first."""
        return sorted(
            (v for v in self.versions.values() if v.plan_id == plan_id), key=lambda v: v.first_used
        )

    def find(self, plan_id: str, prefix: str) -> PlanVersion:
        """The version of the plan whose hash starts with `prefix` (as `plan history` shows it)."""
        wanted = prefix.strip().lower()
        found = [v for v in self.history(plan_id) if v.hash.startswith(wanted)] if wanted else []
        if len(found) == 1:
            return found[0]
        if not found:
            raise MatrixError(
                "error.version_not_kept", plan=plan_id, prefix=prefix, where=self.where
            )
        raise MatrixError("error.version_ambiguous", count=len(found), plan=plan_id, prefix=prefix)

    def __getstate__(self) -> dict[str, Any]:
        """Sent to worker processes without the plans parsed so far."""
        return {**self.__dict__, "_plans": {}}


# --- the project folder ----------------------------------------------------------------------


def keep_in_folder(folder: Path, version: PlanVersion) -> None:
    """`folder/plans/<hash>.yaml`, unless it is already kept; MatrixError (one line) when it
    cannot be written."""
    path = folder / "plans" / f"{version.hash}.yaml"
    if path.is_file():
        return
    header = (
        f"# matrix plan {version.plan_id} version {version.hash} first used "
        f"{version.first_used.isoformat()}\n"
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MatrixError(
            "error.cannot_keep_version", folder=path.parent, reason=describe(exc)
        ) from None
    write_text(path, header + version.text)


def folder_versions(folder: Path) -> list[PlanVersion]:
    """Every version kept in `folder/plans`; a file that is not one is passed over (reading it
    against its hash would fail anyway)."""
    found = []
    for path in sorted((folder / "plans").glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        first, _, body = text.partition("\n")
        match = _HEADER.fullmatch(first.strip())
        if match is None or match["hash"] != path.stem:
            continue
        try:
            first_used = datetime.fromisoformat(match["first"])
        except ValueError:
            continue
        found.append(PlanVersion(match["plan_id"], match["hash"], body, first_used))
    return found


def record_issued_in_folder(folder: Path, issued: IssuedMatrix) -> None:
    """One line appended to `folder/issued.jsonl` (appends of one short line do not interleave)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "issued.jsonl").open("a", encoding="utf-8") as log:
            log.write(json.dumps(issued.as_json(), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise MatrixError(
            "error.cannot_record_issued", path=folder / "issued.jsonl", reason=describe(exc)
        ) from None


def folder_issued(folder: Path) -> list[IssuedMatrix]:
    """The matrices recorded in `folder/issued.jsonl`, in the order written; a line that is not
    one (a write cut short) is passed over."""
    try:
        lines = (folder / "issued.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    found = []
    for line in lines:
        try:
            found.append(IssuedMatrix.from_json(json.loads(line)))
        except (ValueError, TypeError, KeyError):
            continue
    return found


def latest_issued(issued: Iterable[IssuedMatrix], period: str) -> dict[str, IssuedMatrix]:
    """Office -> the matrix it was last sent for `period`."""
    latest: dict[str, IssuedMatrix] = {}
    for matrix in sorted(issued, key=lambda m: m.generated_at):
        if matrix.period == period:
            latest[matrix.office] = matrix
    return latest


@dataclass(frozen=True)
class VersionEntry:
    """One version of a plan, as `matrix plan history` lists it."""

    hash: str
    first_used: datetime | None
    """None for the current plan when no matrix has been generated from it yet."""
    current: bool
    matrices: int
    """How many matrices were generated from it."""
    periods: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "first_used": self.first_used.isoformat() if self.first_used else None,
            "periods": list(self.periods),
        }


def plan_history(
    plan: Plan, versions: PlanVersions, issued: Iterable[IssuedMatrix]
) -> list[VersionEntry]:
    """Every kept version of `plan`, oldest first, and the current one (kept or not yet)."""
    current = plan.content_hash()
    sent: dict[str, list[IssuedMatrix]] = {}
    for matrix in issued:
        sent.setdefault(matrix.plan_hash, []).append(matrix)
    kept = versions.history(plan.id)
    entries: list[tuple[str, datetime | None]] = [(v.hash, v.first_used) for v in kept]
    if current not in versions.versions:
        entries.append((current, None))
    return [
        VersionEntry(
            hash=digest,
            first_used=first_used,
            current=digest == current,
            matrices=len(sent.get(digest, [])),
            periods=tuple(sorted({m.period for m in sent.get(digest, [])})),
        )
        for digest, first_used in entries
    ]


def render_plan_history(plan: Plan, entries: list[VersionEntry], lang: str = "en") -> str:
    from matrix.i18n import format_moment, format_number
    from matrix.text_table import table

    rows = [
        (
            e.hash[:12],
            format_moment(e.first_used, lang) if e.first_used else t(lang, "plan_history.not_used"),
            format_number(e.matrices, lang),
            ", ".join(e.periods),
            t(lang, "plan_history.current") if e.current else "",
        )
        for e in entries
    ]
    headers = [
        t(lang, f"plan_history.col.{key}")
        for key in ("version", "first_used", "matrices", "periods")
    ]
    body = table((*headers, ""), rows)
    return "\n".join(
        [
            t(lang, "plan_history.title", plan=plan.id, count=len(entries)),
            body,
            t(lang, "plan_history.hint"),
        ]
    )
