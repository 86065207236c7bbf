"""The guide to each action point a workbook's Guide sheet shows: the framework's suggestions
for stakeholders and the support UNHCR can provide, with what the plan adds or replaces, in the
workbook's language (English when a list has no translation)."""

from __future__ import annotations

from dataclasses import dataclass

from matrix.i18n import in_language
from matrix.models.plan import ActionPoint, Guidance, Plan, PlanGuidance, Suggestions

PARTS = ("stakeholders", "unhcr_support")


@dataclass(frozen=True)
class Guide:
    stakeholders: list[str]
    unhcr_support: list[str]

    def part(self, name: str) -> list[str]:
        return getattr(self, name)


def plan_guidance(plan: Plan, ap: ActionPoint) -> PlanGuidance | None:
    """The plan's own guidance for `ap`, given under its id or its number."""
    for key, given in (plan.guidance or {}).items():
        if key.strip().lower() in (ap.id.lower(), str(ap.number)):
            return given
    return None


def guide(plan: Plan, ap: ActionPoint, lang: str) -> Guide:
    own = plan_guidance(plan, ap)
    parts = {}
    for name in PARTS:
        framework = _items(ap.guidance, name, lang)
        added = _items(own, name, lang)
        parts[name] = added if own is not None and own.replace and added else framework + added
    return Guide(**parts)


def _items(guidance: Guidance | None, part: str, lang: str) -> list[str]:
    if guidance is None:
        return []
    by_language: Suggestions = getattr(guidance, part)
    return list(in_language(by_language, lang) or [])
