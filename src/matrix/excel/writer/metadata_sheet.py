"""The very hidden metadata sheet (layout `META_SHEET`): which plan version, office, period and
language the workbook is for, which sheet plays which role, and every plan row's fingerprint,
signed with the project key when there is one. Its format is `matrix.excel.metadata`'s; read-back
trusts it instead of file or sheet names."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from matrix._version import __version__
from matrix.excel import layout
from matrix.excel.layout import SheetRole
from matrix.excel.metadata import Metadata, matrix_role, metadata_rows, signed_content
from matrix.excel.writer.book import OTHER_SHEETS, Book
from matrix.excel.writer.frame import protect
from matrix.models.returns import WorkbookIdentity
from matrix.signing import sign


def write_metadata_sheet(
    ws: Worksheet, book: Book, fingerprints: dict[tuple[str, str], str], key: bytes | None = None
) -> None:
    identity = WorkbookIdentity(
        template_schema=layout.TEMPLATE_SCHEMA,
        tool_version=__version__,
        plan_id=book.plan.id,
        plan_hash=book.plan_hash,
        office=book.office,
        regional=book.regional,
        period=book.period.id,
        lang=book.lang,
        generated_at=book.generated_at,
    )
    roles = {SheetRole.INSTRUCTIONS.value: book.names[SheetRole.INSTRUCTIONS]}
    roles.update({matrix_role(s.office): s.name for s in book.sheets})
    roles.update({role.value: book.names[role] for role in OTHER_SHEETS[1:]})
    meta = Metadata(identity, roles, fingerprints)
    if key is not None:
        meta.signature = sign(key, signed_content(meta))
    for r, row in enumerate(metadata_rows(meta)):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    protect(ws)
    ws.very_hidden()
