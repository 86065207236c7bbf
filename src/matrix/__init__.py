"""matrix: plan, generate, validate, collect and report 10-Point Plan implementation matrices.

The command line (`matrix ...`) is a thin layer over this package; everything it does can be
scripted from Python through the functions re-exported here.
"""

__version__ = "0.1.0"

from matrix.errors import MatrixError, PlanError
from matrix.models.issues import Issue, Severity
from matrix.models.plan import Plan
from matrix.plan import check_plan_file, load_plan

__all__ = [
    "Issue",
    "MatrixError",
    "Plan",
    "PlanError",
    "Severity",
    "__version__",
    "check_plan_file",
    "load_plan",
]
