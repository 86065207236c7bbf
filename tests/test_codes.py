"""The issue-code catalogue: unique stable codes, and docs generated from it."""

from pathlib import Path

from matrix.codes import Code, catalogue_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "issue-codes.md"


def test_codes_are_unique_kebab_case():
    slugs = [c.slug for c in Code]
    assert len(slugs) == len(set(slugs))
    assert all(s == s.lower() and " " not in s and "_" not in s for s in slugs)


def test_docs_list_every_code_as_generated():
    assert DOCS.read_text(encoding="utf-8") == catalogue_markdown(), (
        "regenerate: python -c "
        "\"from matrix.codes import catalogue_markdown as m; print(m(), end='')\" "
        "> docs/issue-codes.md"
    )
