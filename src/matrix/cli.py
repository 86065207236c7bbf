"""The `matrix` command line: parse arguments, call one library function, print, exit.

Exit codes everywhere: 0 all good (warnings allowed), 1 problems found in the user's files,
2 usage errors and jobs that could not be done (the message says why, on one line).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from matrix import __version__
from matrix.errors import MatrixError
from matrix.frameworks import builtin_names
from matrix.models.issues import Issue, has_errors

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


class MatrixGroup(click.Group):
    """Turns every MatrixError into a one-line message and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MatrixError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)


def print_issues(issues: list[Issue]) -> None:
    for issue in issues:
        click.echo(issue.render())


def summary(name: str, issues: list[Issue]) -> str:
    errors = sum(i.is_error for i in issues)
    warnings = len(issues) - errors
    if errors:
        return f"{name}: {errors} error(s), {warnings} warning(s)"
    return f"{name}: valid" + (f" ({warnings} warning(s))" if warnings else "")


@click.group(cls=MatrixGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="matrix")
def cli() -> None:
    """Plan, generate, validate, collect and report 10-Point Plan implementation matrices.

    Example:

        matrix init sudan && matrix plan check sudan/plan.yaml
    """


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--scope", type=click.Choice(["national", "regional"]), default="national", show_default=True,
              help="A national plan, or a regional plan with its own regional matrix.")
@click.option("--framework", type=click.Choice(builtin_names()), default="10-point-plan", show_default=True,
              help="The action points activities are organised under.")
def init(directory: Path, scope: str, framework: str) -> None:
    """Start a project folder with a commented plan.yaml ready to edit.

    Example:

        matrix init sudan-2026 --scope national
    """
    from matrix.scaffold import init_project

    path = init_project(directory, scope, framework)
    click.echo(f"wrote {path}; edit it, then run: matrix plan check {path}")


@cli.group()
def plan() -> None:
    """Work with plan files.

    Example:

        matrix plan check plan.yaml
    """


@plan.command("check")
@click.argument("plan_file", metavar="PLAN", type=EXISTING_FILE)
def plan_check(plan_file: Path) -> None:
    """Report every problem in PLAN at once, with its line and a fix where one can be guessed.

    Exit 0 when the plan is usable (warnings point at gaps), 1 when it has errors.

    Example:

        matrix plan check examples/sudan-joint-strategy.yaml
    """
    from matrix.plan import check_plan_file

    issues = check_plan_file(plan_file)
    print_issues(issues)
    click.echo(summary(str(plan_file), issues), err=True)
    sys.exit(1 if has_errors(issues) else 0)


@cli.command()
@click.argument("plan_file", metavar="PLAN", type=EXISTING_FILE)
@click.option("--period", required=True, help="Reporting period in the plan's frequency, e.g. 2026-09 or 2026-Q3.")
@click.option("--country", "countries", multiple=True, metavar="ISO3",
              help="A country of the plan (repeat for several).")
@click.option("--all", "all_countries", is_flag=True, help="Every country of the plan.")
@click.option("--regional", is_flag=True, help="One regional workbook: a sheet per country plus region-wide rows.")
@click.option("--lang", type=click.Choice(["en", "fr", "es", "ar"]), default="en", show_default=True,
              help="Language of the workbook.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Folder to write the workbooks in.")
@click.option("--force", is_flag=True, help="Overwrite workbooks that already exist.")
def generate(plan_file: Path, period: str, countries: tuple[str, ...], all_countries: bool, regional: bool,
             lang: str, out_dir: Path, force: bool) -> None:
    """Write the Excel implementation matrix each country office fills in for PERIOD.

    Files are named OFFICE_PERIOD_PLAN.xlsx; existing files are kept unless --force.

    Example:

        matrix generate examples/sudan-joint-strategy.yaml --period 2026-07 --all -o out
    """
    from matrix.generate import generate as generate_workbooks
    from matrix.plan import load_plan

    if sum((bool(countries), all_countries, regional)) != 1:
        raise click.UsageError("choose exactly one of --country ISO3 (repeatable), --all or --regional")
    plan = load_plan(plan_file)
    count = 1 if regional else len(countries or plan.countries)
    options = {"countries": list(countries) or None, "regional": regional, "lang": lang, "out_dir": out_dir,
               "force": force}
    if count > 3:  # the bar appears with the first workbook, so an up-front refusal stays one line
        bar = click.progressbar(length=count, label="writing workbooks", file=sys.stderr)
        paths = generate_workbooks(plan, period, progress=lambda _: bar.update(1), **options)
        bar.render_finish()
    else:
        paths = generate_workbooks(plan, period, **options)
    for path in paths:
        click.echo(str(path))
