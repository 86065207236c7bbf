"""A small, fully known store content for the Dar es Salaam example: two quarters of returns."""

from __future__ import annotations

from datetime import datetime

from compendium_helpers import INITIATIVE, office_narratives
from matrix.codes import Code
from matrix.models.plan import Status
from matrix.models.returns import ProgressRow, ProposedActivity
from matrix.plan import plan_rows
from matrix.report.data import PeriodData, ReportData
from matrix.store import Submission

PAYLOAD = "<script>alert(1)</script>"


def _rows(
    plan, office: str, statuses: dict[str, tuple[Status | None, float | None, str]]
) -> list[ProgressRow]:
    """Every plan row of `office`; refs not in `statuses` are on track with half the target."""
    out = []
    region = plan.region.code
    for i, row in enumerate(plan_rows(plan, None if office == region else office)):
        target = row.indicator.target if row.indicator and row.indicator.target else 0
        status, actual, comment = statuses.get(row.ref, (Status.ON_TRACK, target / 2, ""))
        out.append(
            ProgressRow(
                country=office,
                activity_id=row.activity.id,
                indicator_index=row.indicator_index,
                ref=row.ref,
                sheet="Matrix",
                row=5 + i,
                status=status,
                actual=actual,
                funds_secured=10000.0 if row.activity.budget else None,
                comments=comment,
            )
        )
    return out


def dar_data(plan) -> ReportData:
    """Q3: every country and the region report, KEN's LEG-1 delayed. Q4: KEN completes CAP-1,
    TZA is delayed on OPS-2 with the payload comment, MWI is late, ZAF only sent a rejected file,
    MOZ sent nothing; ETH proposes a near copy of CAP-1 led by IOM; KEN, TZA and the region write
    an overview; KEN lists an initiative and describes a good practice on OPS-1, the region one on
    CAP-2; TZA lists an initiative whose title is the payload."""
    q3_offices = ["ETH", "KEN", "TZA", "MWI", "MOZ", "ZAF", "EHAGL"]
    kenya_q3 = {"LEG-1": (Status.DELAYED, 0, "Parliament in recess")}
    q3 = [r for o in q3_offices for r in _rows(plan, o, kenya_q3 if o == "KEN" else {})]
    q4_special = {
        "ETH": {"CAP-1": (Status.ON_TRACK, 120, "")},
        "KEN": {
            "CAP-1": (Status.COMPLETED, 150, "All sessions held"),
            "LEG-1": (Status.ON_TRACK, 0, ""),
        },
        "TZA": {"OPS-2": (Status.DELAYED, 20, PAYLOAD)},
        "MWI": {"LEG-2": (Status.DELAYED, 0, "")},
        "EHAGL": {},
    }
    q4 = [r for o, special in q4_special.items() for r in _rows(plan, o, special)]

    def sent(
        office: str, period: str, received: datetime, accepted: bool = True, issues=()
    ) -> Submission:
        return Submission(
            office=office,
            period=period,
            file_name=f"{office}_{period}.xlsx",
            received_at=received,
            accepted=accepted,
            counts=accepted,
            problems=list(issues),
        )

    january = [datetime(2027, 1, day, 9, 0) for day in range(1, 32)]
    warning = Code.INDICATOR_WITHOUT_TARGET.issue(
        file="ETH_2026-Q4.xlsx", sheet="Matrix", cell="K7", activity="X", indicator="Y"
    )
    error = Code.UNKNOWN_ACTOR.issue(
        file="ZAF_2026-Q4.xlsx",
        sheet="Matrix",
        cell="E9",
        activity="X",
        role="lead",
        actor="XYZ",
        hint="",
    )
    subs = [sent(o, "2026-Q3", datetime(2026, 10, 15, 9, 0)) for o in q3_offices] + [
        sent("ETH", "2026-Q4", january[9], issues=[warning]),
        sent("KEN", "2026-Q4", january[11]),
        sent("TZA", "2026-Q4", january[19]),
        sent("MWI", "2026-Q4", january[29]),  # due on 21 January: 9 days late
        sent("EHAGL", "2026-Q4", january[4]),
        sent("ZAF", "2026-Q4", january[13], accepted=False, issues=[error]),
    ]
    proposed = {
        "ETH": [
            ProposedActivity(
                sheet="New activities",
                row=4,
                title="Training of border and immigration officials on mixed movements",
                lead="IOM",
                action_point="CAP",
                status=Status.ON_TRACK,
            )
        ]
    }
    narratives = {o: office_narratives(o, "2026-Q4") for o in ("KEN", "TZA", "EHAGL")}
    narratives["TZA"] = narratives["TZA"].model_copy(
        update={
            "initiatives": [INITIATIVE.model_copy(update={"title": PAYLOAD, "action_point": "COO"})]
        }
    )
    return ReportData(
        periods={
            "2026-Q3": PeriodData(rows=q3),
            "2026-Q4": PeriodData(rows=q4, proposed=proposed, narratives=narratives),
        },
        submissions=subs,
    )
