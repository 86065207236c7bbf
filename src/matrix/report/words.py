"""The report's words in its language: labels, statuses, office and action point names, and the
plan's own texts in the language where the plan translates them."""

from __future__ import annotations

from matrix.countries import country_name
from matrix.i18n import (
    RIGHT_TO_LEFT,
    action_point_description,
    action_point_title,
    catalogue,
    format_value,
    framework_title,
    issue_message,
    localised_action_point_label,
    status_label,
    t,
)
from matrix.models.issues import Issue
from matrix.models.plan import ActionPoint, Activity, Plan, Status, ValueKind, in_language
from matrix.plan import plan_index
from matrix.report.counting import NOT_REPORTED
from matrix.semantics import number_date


class Words:
    def __init__(self, plan: Plan, lang: str):
        self.plan = plan
        self.lang = lang
        self.rtl = lang in RIGHT_TO_LEFT
        self.framework = plan_index(plan).framework
        self._offices: dict[str, str] = {}
        self._activities = {a.id: (o, a) for o, a in plan.activities()}

    def label(self, key: str, /, **params: object) -> str:
        return t(self.lang, key, **params)

    def sentence(self, key: str, /, **params: object) -> str:
        """A label with its parameters isolated (Unicode FSI ... PDI), so a period id or an English
        title inside Arabic text keeps its own direction, as <bdi> does in the templates; numbers
        are written the language's way."""
        return self.label(
            key,
            **{
                name: f"\u2068{format_value(value, self.lang)}\u2069"
                for name, value in params.items()
            },
        )

    def count(self, key: str, n: int) -> str:
        """'1 activity', '7 activities': the label `key.one` for one, else `key.other`, with {n}."""
        return self.label(f"{key}.{'one' if n == 1 else 'other'}").format(n=n)

    def labels(self) -> dict[str, str]:
        """Every catalogue entry templates use: report.* and the status labels."""
        own = catalogue(self.lang)
        return {
            k: str(own.get(k, v))
            for k, v in catalogue("en").items()
            if k.startswith(("report.", "status."))
        }

    def text(self, text: str) -> str:
        """A text of the plan (title, indicator, unit, actor name) in the report's language when the
        plan gives it, else as written."""
        return in_language(text, self.lang)

    def status(self, status: str) -> str:
        if status == NOT_REPORTED:
            return self.label("report.status.not_reported")
        return status_label(Status(status), self.lang)

    def office(self, office: str) -> str:
        if office not in self._offices:
            region = self.plan.region
            if region and office == region.code and office not in self.plan.countries:
                self._offices[office] = self.label("report.region_wide", region=office)
            else:
                self._offices[office] = country_name(office, self.lang)
        return self._offices[office]

    def framework_title(self) -> str:
        return framework_title(self.framework, self.lang)

    def action_point_title(self, ap: ActionPoint) -> str:
        return action_point_title(self.framework.id, ap.id, ap.title, self.lang)

    def action_point_description(self, ap: ActionPoint) -> str:
        return action_point_description(self.framework.id, ap.id, ap.description, self.lang)

    def action_point(self, ap: ActionPoint | None) -> str:
        """'3. Operations', as the workbooks show it; nothing for an activity under none."""
        return localised_action_point_label(self.framework, ap, self.lang) if ap else ""

    def activity(self, activity_id: str) -> Activity | None:
        found = self._activities.get(activity_id)
        return found[1] if found else None

    def activity_action_point(self, activity_id: str) -> ActionPoint | None:
        found = self._activities.get(activity_id)
        return self.framework.action_point(found[0].action_point) if found else None

    def value(self, kind: ValueKind, value: float | None) -> str | None:
        """A figure that is no number in words: Yes or No, or an ISO date; None for numbers."""
        if value is None:
            return None
        if kind is ValueKind.YES_NO:
            return t(self.lang, "value.yes" if value else "value.no")
        if kind is ValueKind.DATE:
            return number_date(value).isoformat()
        return None

    def actor_type(self, value: str) -> str:
        return self.label(f"actor_type.{value}")

    def issue(self, issue: Issue) -> str:
        """A finding's message in the report's language, from its code and parameters."""
        return issue_message(issue, self.lang)
