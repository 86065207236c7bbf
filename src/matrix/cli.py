"""The `matrix` command line: parse arguments, call one library function, print, exit.

Exit codes everywhere: 0 all good (warnings allowed), 1 problems found in the user's files,
2 usage errors and jobs that could not be done (the message says why, on one line).

Standard output carries only what a command was asked for (findings, tables, JSON, a file written
to `-o -`); messages, warnings and progress go to standard error, so a pipe never receives them.
Every command takes `--quiet` (errors only) and `--verbose`; the JSON shapes are `matrix.results`.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from matrix._version import __version__
from matrix.errors import MatrixError, Terminated
from matrix.files import STDOUT, StandardOutput
from matrix.frameworks import builtin_names
from matrix.i18n import (
    DEFAULT_LANG,
    LANG_ENV,
    LANGUAGES,
    format_number,
    output_language,
    render_issue,
    t,
)
from matrix.models.issues import Issue, has_errors, tally
from matrix.periods import Period

if TYPE_CHECKING:
    from matrix.project import Project

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


class PeriodType(click.ParamType):
    """A reporting period as people write it (2026-09, 2026-Q3, 2026-H2, 2026), parsed once,
    before anything is read. A mistyped one is a `PeriodError`, which `MatrixGroup` shows on one
    line like every other failure; whether the plan reports that period is the library's to say."""

    name = "period"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Period:
        return value if isinstance(value, Period) else Period.parse(str(value))


PERIOD = PeriodType()
LANGUAGE = click.Choice(LANGUAGES)


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        ctx.meta["lang"] = value  # shared with the group, which prints failures
    return value


def _lang_option(*, default: str | None, help: str):
    """`--lang`, kept for the group's messages. Eager: read before any other parameter, so a
    mistyped --period is refused in this language."""
    return click.option(
        "--lang",
        type=LANGUAGE,
        envvar=LANG_ENV,
        default=default,
        show_default=default is not None,
        show_envvar=True,
        callback=_remember_lang,
        is_eager=True,
        help=help,
    )


LANG = _lang_option(default=DEFAULT_LANG, help="Language of what the command prints.")
DOCUMENT_LANG = _lang_option(
    default=None,
    help="Language of the texts and of what the command prints [default: the "
    "plan's language]; ar is right-to-left.",
)
"""--lang of a command that writes a document (report, export, compendium): its texts default to
the plan's language."""


def lang_of(ctx: click.Context | None = None) -> str:
    """The language this command prints in: its --lang, else $MATRIX_LANG, else English."""
    ctx = ctx or click.get_current_context(silent=True)
    return output_language(ctx.meta.get("lang") if ctx is not None else None)


def say(key: str, /, **params: object) -> None:
    """A catalogue message in the command's language, for the person at the terminal: on stderr,
    unless --quiet."""
    note(t(lang_of(), key, **params))


class OutputType(click.ParamType):
    """`-o FILE`, or `-o -` for standard output (`matrix.files.STDOUT`), as csvkit and sqlite-utils
    read it."""

    name = "file"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Path | StandardOutput:
        if isinstance(value, StandardOutput | Path):
            return value
        return STDOUT if value == "-" else Path(str(value))

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):
        return [click.shell_completion.CompletionItem(incomplete, type="file")]


OUTPUT = OutputType()


def output_option(*, help: str):
    """`-o` of a command whose output is one stream: standard output unless a file is named."""
    return click.option(
        "-o",
        "--out",
        "out_path",
        type=OUTPUT,
        default="-",
        metavar="FILE",
        help=f"{help} '-' or no -o: standard output.",
    )


# --- completion (Click's own: eval "$(_MATRIX_COMPLETE=bash_source matrix)", see README) ---------


def _completer(offered: str):
    """A shell_complete callback: `matrix.completion.<offered>(plan, incomplete)` from the plan the
    command line names so far (PLAN, --plan, else ./plan.yaml); nothing when there is none."""

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
        from matrix import completion

        plan = completion.plan_or_none(_plan_named(ctx))
        return getattr(completion, offered)(plan, incomplete) if plan is not None else []

    return complete


def _plan_named(ctx: click.Context) -> str | Path:
    """While an option's value is being typed Click leaves the arguments unparsed (in `ctx.args`),
    so a PLAN argument (generate's) is the first of them."""
    given = ctx.params.get("plan_file")
    takes_plan = any(
        isinstance(p, click.Argument) and p.name == "plan_file" for p in ctx.command.params
    )
    if given is None and takes_plan and ctx.args:
        given = ctx.args[0]
    return given or "plan.yaml"


complete_periods = _completer("periods")
complete_offices = _completer("offices")
complete_activities = _completer("activities")


# --- options several commands share ------------------------------------------------------------


def period_option(*decls: str, help: str, required: bool = False):
    """A period option (`--period` unless `decls` name it), parsed by `PERIOD` before anything is
    read and completed from the plan's periods; None when omitted and not required."""
    return click.option(
        *(decls or ("--period",)),
        type=PERIOD,
        required=required,
        default=None,
        shell_complete=complete_periods,
        help=help,
    )


def store_option(*, help: str):
    """`--store PATH_OR_URL`: a SQLite file or a postgresql:// URL; None when omitted."""
    return click.option("--store", "store_path", default=None, metavar="PATH_OR_URL", help=help)


STORE = store_option(
    help="The store: a SQLite file or a postgresql:// URL "
    "[default: $MATRIX_STORE, else ./matrix.sqlite]."
)


def plan_option(*, help: str):
    """`--plan FILE` of a command that works on a project: ./plan.yaml unless named."""
    return click.option(
        "--plan",
        "plan_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default="plan.yaml",
        show_default=True,
        help=help,
    )


PROJECT_PLAN = plan_option(help="The plan the matrices were generated from.")


def country_option(*decls: str, help: str, multiple: bool = False):
    """`--country ISO3` (an office of the plan, completed from it): one, or several repeated."""
    return click.option(
        *(decls or ("--country",)),
        multiple=multiple,
        default=None,
        metavar="ISO3",
        shell_complete=complete_offices,
        help=help,
    )


FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Lines to read, or JSON for scripts (docs/schemas/).",
)

# --- how much a command says: --quiet, --verbose --------------------------------------------------

QUIET, NORMAL, VERBOSE = 0, 1, 2
VERBOSITY = "matrix.verbosity"


def _verbosity_flag(flags: tuple[str, str], level: int, *, help: str) -> click.Option:
    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if not value or ctx.resilient_parsing:
            return
        if ctx.meta.get(VERBOSITY, level) != level:  # meta is shared by the group and its command
            raise click.UsageError(t(lang_of(ctx), "cli.quiet_and_verbose"))
        ctx.meta[VERBOSITY] = level

    return click.Option(flags, is_flag=True, expose_value=False, callback=remember, help=help)


def verbosity() -> int:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(VERBOSITY, NORMAL) if ctx is not None else NORMAL


def note(text: str) -> None:
    """A message for the person at the terminal (on stderr), unless --quiet."""
    if verbosity() > QUIET:
        click.echo(text, err=True)


def detail(text: str) -> None:
    """What --verbose adds (on stderr)."""
    if verbosity() >= VERBOSE:
        click.echo(text, err=True)


def tell_issue(issue: Issue) -> None:
    """A finding that is not the command's output (a store period left out, a stale plan): on
    stderr, errors always, warnings unless --quiet."""
    if issue.is_error or verbosity() > QUIET:
        click.echo(render_issue(issue, lang_of()), err=True)


def emit_json(data: object) -> None:
    from matrix.results import dumps

    click.echo(dumps(data))  # type: ignore[arg-type]


class _CommonOptions:
    """-q/--quiet and -v/--verbose on every command and group, so scripts can put them anywhere
    (`matrix -q collect ...` or `matrix collect ... --quiet`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.params.extend(  # type: ignore[attr-defined]  # a mixin of click.Command
            [
                _verbosity_flag(
                    ("-q", "--quiet"),
                    QUIET,
                    help="Print errors only (and what was asked for: JSON, a file on -o -).",
                ),
                _verbosity_flag(
                    ("-v", "--verbose"),
                    VERBOSE,
                    help="Also say which plan and store are used, and how long it took.",
                ),
            ]
        )


class MatrixCommand(_CommonOptions, click.Command):
    """A command that says, with --verbose, how long it took (for a cron log or a slow share)."""

    def invoke(self, ctx: click.Context):
        started = time.perf_counter()
        try:
            return super().invoke(ctx)
        finally:
            seconds = format_number(round(time.perf_counter() - started, 1), lang_of(ctx))
            detail(t(lang_of(ctx), "cli.verbose.took", command=ctx.command_path, seconds=seconds))


CYCLE = {
    "cli": (
        "init",
        "plan",
        "generate",
        "validate",
        "collect",
        "status",
        "history",
        "report",
        "compendium",
        "export",
        "store",
        "demo",
    ),
    "plan": ("check", "export", "import", "diff", "history"),
    "store": ("init", "copy"),
}
"""The order `--help` lists each group's commands in: the cycle's (a plan's life for `matrix
plan`); any other command follows, alphabetically."""


class MatrixGroup(_CommonOptions, click.Group):
    """Turns every MatrixError into a one-line message and exit 2, never a traceback; Ctrl-C and
    SIGTERM into a clean stop and exit 128 + the signal's number (130, 143). Lists its commands in
    the order of the cycle."""

    command_class = MatrixCommand
    group_class = type  # subgroups (plan, store) are MatrixGroups too

    def list_commands(self, ctx: click.Context) -> list[str]:
        order = CYCLE.get(self.name or "", ())
        return sorted(
            self.commands,
            key=lambda name: (order.index(name) if name in order else len(order), name),
        )

    def invoke(self, ctx: click.Context):
        previous = _raise_on_sigterm()
        try:
            return super().invoke(ctx)
        except MatrixError as exc:
            lang = lang_of(ctx)
            click.echo(t(lang, "cli.error", message=exc.render(lang)), err=True)
            sys.exit(2)
        except KeyboardInterrupt as stop:
            signum = getattr(stop, "signum", signal.SIGINT)
            click.echo(t(lang_of(ctx), "cli.stopped", signal=stopped_by(signum)), err=True)
            sys.exit(128 + signum)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _raise_on_sigterm():
    """SIGTERM raises `Terminated` in the main thread, so cleanup runs; returns the old handler."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def terminate(signum, _frame):
        raise Terminated(signum)

    return signal.signal(signal.SIGTERM, terminate)


def stopped_by(signum: int) -> str:
    return "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name


def print_issues(issues: list[Issue], *, err: bool = False) -> None:
    """Findings that are the command's output (stdout) or beside a file it writes (stderr), in
    the command's language; errors only with --quiet."""
    lang = lang_of()
    quiet = verbosity() == QUIET
    for issue in issues:
        if issue.is_error or not quiet:
            click.echo(render_issue(issue, lang), err=err)


def summary(name: str, issues: list[Issue]) -> str:
    lang = lang_of()
    errors, warnings = tally(issues)
    notes = len(issues) - errors - warnings
    noted = [t(lang, "count.notes", count=notes)] * bool(notes)
    if errors:
        return t(
            lang,
            "cli.summary.problems",
            name=name,
            errors=t(lang, "count.errors", count=errors),
            warnings=[t(lang, "count.warnings", count=warnings), *noted],
        )
    if warnings or notes:
        counted = [t(lang, "count.warnings", count=warnings)] * bool(warnings) + noted
        return t(lang, "cli.summary.valid_warnings", name=name, warnings=counted)
    return t(lang, "cli.summary.valid", name=name)


@click.group(
    cls=MatrixGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="New here? `matrix demo` runs the whole cycle on a bundled example. "
    "`matrix COMMAND --help` shows each command's options and an example.",
)
@click.version_option(__version__, prog_name="matrix")
def cli() -> None:
    """Plan, generate, validate, collect and report 10-Point Plan implementation matrices.

    Commands are listed in the order of the cycle. Exit codes: 0 ok, 1 problems in your files, 2
    usage error or a job that cannot be done.

    Example:

        matrix init sudan && matrix plan check sudan/plan.yaml
    """


@cli.command(short_help="Start a project folder with a plan.yaml to edit.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--scope",
    type=click.Choice(["national", "regional"]),
    default="national",
    show_default=True,
    help="A national plan, or a regional plan with its own regional matrix.",
)
@click.option(
    "--framework",
    type=click.Choice(builtin_names()),
    default="10-point-plan",
    show_default=True,
    help="The action points activities are organised under.",
)
@LANG
def init(directory: Path, scope: str, framework: str, lang: str) -> None:
    """Start a project folder with a commented plan.yaml ready to edit.

    Example:

        matrix init sudan-2026 --scope national
    """
    from matrix.models.plan import Scope
    from matrix.scaffold import init_project
    from matrix.signing import created_notice

    path, key = init_project(directory, Scope(scope), framework)
    say("cli.init.wrote", path=path)
    if key is not None:
        note(created_notice(key, lang))


@cli.group(short_help="Check, convert and compare plans.")
def plan() -> None:
    """Work with plan files.

    Example:

        matrix plan check plan.yaml
    """


@plan.command("check", short_help="Report every problem in a plan, with a fix.")
@click.argument("plan_file", metavar="PLAN", type=EXISTING_FILE)
@FORMAT
@LANG
def plan_check(plan_file: Path, fmt: str, lang: str) -> None:
    """Report every problem in PLAN at once, with its line and a fix where one can be guessed.

    Exit 0 when the plan is usable (warnings point at gaps), 1 when it has errors.

    Example:

        matrix plan check examples/sudan-joint-strategy.yaml
    """
    from matrix.plan import check_plan_file
    from matrix.results import plan_report

    issues = check_plan_file(plan_file)
    if fmt == "json":
        emit_json(plan_report(plan_file, issues, lang=lang))
    else:
        print_issues(issues)
    note(summary(str(plan_file), issues))
    sys.exit(1 if has_errors(issues) else 0)


@plan.command("export", short_help="Write a plan as a workbook to edit.")
@click.argument("plan_file", metavar="PLAN", type=EXISTING_FILE)
@output_option(help="The workbook to write (.xlsx).")
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@LANG
def plan_export(plan_file: Path, out_path: Path | StandardOutput, lang: str, force: bool) -> None:
    """Write PLAN as a workbook to edit in Excel or LibreOffice: the settings, countries, actors,
    objectives, activities and indicators, each on its own sheet with drop-downs.

    Every command takes the workbook as the plan; `matrix plan import` writes it back as YAML.
    Exit 0 when written, 1 when the plan has errors (it is written anyway when it can be read, so
    they can be fixed in the workbook).

    Example:

        matrix plan export plan.yaml -o plan.xlsx --lang fr
    """
    from matrix.plan.workbook import export_plan

    issues, written = export_plan(plan_file, out_path, lang=lang, force=force)
    _plan_written(plan_file, out_path, issues, written)


@plan.command("import", short_help="Write a plan workbook back as YAML.")
@click.argument("workbook", metavar="WORKBOOK", type=EXISTING_FILE)
@output_option(help="The YAML plan to write.")
@click.option("--force", is_flag=True, help="Replace OUT if it exists (its comments are not kept).")
@LANG
def plan_import(workbook: Path, out_path: Path | StandardOutput, force: bool, lang: str) -> None:
    """Write the plan in WORKBOOK (from `matrix plan export`) as YAML, in the examples' order.

    Problems are listed by sheet and cell. Exit 0 when written, 1 when the plan has errors (it
    is written anyway when it can be read).

    Example:

        matrix plan import plan.xlsx -o plan.yaml
    """
    from matrix.plan.workbook import import_plan

    issues, written = import_plan(workbook, out_path, force=force, lang=lang)
    _plan_written(workbook, out_path, issues, written)


def _plan_written(
    source: Path, out: Path | StandardOutput, issues: list[Issue], written: bool
) -> None:
    print_issues(issues, err=True)
    note(summary(str(source), issues))
    if written:
        _wrote(out, "cli.plan.wrote", "cli.plan.wrote_stdout")
    sys.exit(1 if has_errors(issues) else 0)


@plan.command("diff", short_help="What changed between two plans.")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@FORMAT
@plan_option(help="The project's plan, whose kept versions OLD and NEW may name.")
@store_option(
    help="The store its versions are kept in too [default: $MATRIX_STORE, else ./matrix.sqlite]."
)
@LANG
def plan_diff(
    old: str, new: str, fmt: str, plan_file: Path, store_path: str | None, lang: str
) -> None:
    """What changed from plan OLD to plan NEW: activities added, removed or moved, targets,
    leads, partners, countries and dates changed, and more.

    OLD and NEW are plan files (YAML or plan workbooks), versions of the project's plan kept by
    `generate` (the start of their hash, as `matrix plan history` lists them), or `current`.
    Exit 0 when the plans are identical, 1 when they differ, 2 when either cannot be read (as
    diff does).

    Example:

    \b
        matrix plan diff plan-v1.yaml plan.yaml --format json
        matrix plan diff c66f435d current
    """
    from matrix.plan.diff import diff_files, render_diff

    if Path(old).is_file() and Path(new).is_file():
        diff = diff_files(Path(old), Path(new))
    else:
        diff = open_project(plan_file, store_path).plan_diff(old, new, lang)
    if fmt == "json":
        emit_json(diff)
    else:
        click.echo(render_diff(diff, lang))
    sys.exit(0 if diff.identical else 1)


@plan.command("history", short_help="The plan versions matrices were made from.")
@click.argument(
    "plan_file",
    metavar="[PLAN]",
    type=click.Path(dir_okay=False, path_type=Path),
    default="plan.yaml",
)
@STORE
@FORMAT
@LANG
def plan_history(plan_file: Path, store_path: str | None, fmt: str, lang: str) -> None:
    """List the versions of the plan matrices were generated from, oldest first.

    Versions are kept in the .matrix folder beside the plan and in the store; `plan diff`
    compares any two by the start of their hash.

    Example:

        matrix plan history plan.yaml
    """
    from matrix.results import plan_history_json
    from matrix.versions import render_plan_history

    project = open_project(plan_file, store_path)
    entries = project.plan_history()
    if fmt == "json":
        emit_json(plan_history_json(entries))
    else:
        click.echo(render_plan_history(project.plan, entries, lang))


@cli.command(short_help="Write each office's Excel matrix for a period.")
@click.argument("plan_file", metavar="PLAN", type=EXISTING_FILE)
@period_option(
    help="Reporting period in the plan's frequency, e.g. 2026-09 or 2026-Q3.", required=True
)
@country_option(
    "--country", "countries", multiple=True, help="A country of the plan (repeat for several)."
)
@click.option("--all", "all_countries", is_flag=True, help="Every country of the plan.")
@click.option(
    "--regional",
    is_flag=True,
    help="One regional workbook: a sheet per country plus region-wide rows.",
)
@click.option(
    "--outdated",
    is_flag=True,
    help="Only the offices last sent a matrix of an earlier plan version for PERIOD (as "
    "`matrix status` lists them), each in the language it had; use with --force.",
)
@click.option(
    "--lang",
    type=LANGUAGE,
    default=None,
    help="Language of every workbook [default: each office's language, as the plan says].",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Folder to write the workbooks in.",
)
@click.option("--force", is_flag=True, help="Overwrite workbooks that already exist.")
@click.option(
    "--prefill",
    is_flag=True,
    help="Start each row from the office's latest accepted status, actual and comments "
    "in the store, and its overview and initiatives from its latest return.",
)
@store_option(
    help="Store to pre-fill from: a SQLite file or a postgresql:// URL "
    "[default: $MATRIX_STORE, else ./matrix.sqlite]."
)
@FORMAT
def generate(
    plan_file: Path,
    period: Period,
    countries: tuple[str, ...],
    all_countries: bool,
    regional: bool,
    outdated: bool,
    lang: str | None,
    out_dir: Path,
    force: bool,
    prefill: bool,
    store_path: str | None,
    fmt: str,
) -> None:
    """Write the Excel implementation matrix each country office fills in for PERIOD.

    Files are named OFFICE_PERIOD_PLAN.xlsx (OFFICE_PERIOD_PLAN_LANG.xlsx for a workbook in
    another language than the plan's); existing files are kept unless --force. Each file written
    is printed on its line (or, with --format json, docs/schemas/generate.v1.json). The plan
    version and which office was sent it are kept in the .matrix folder beside the plan (and in
    the store, if there is one), so returns are read against the version they were made from.

    Example:

    \b
        matrix generate examples/sudan-joint-strategy.yaml --period 2026-07 --all -o out
        matrix generate examples/dar-es-salaam-action-plan.yaml --period 2026-Q3 \\
            --regional --lang fr
        matrix generate plan.yaml --period 2026-08 --all --prefill -o out
        matrix generate plan.yaml --period 2026-08 --outdated --force -o out
    """
    from matrix.results import generate_report
    from matrix.signing import created_notice

    if sum((bool(countries), all_countries, regional, outdated)) != 1:
        raise click.UsageError(t(lang_of(), "error.one_of_country_all_regional"))
    project = open_project(plan_file, store_path)
    keys: list[Path] = []

    def key_created(path: Path) -> None:
        keys.append(path)
        note(created_notice(path, lang_of()))

    count = (
        len(project.outdated(period))
        if outdated
        else 1
        if regional
        else len(countries or project.plan.countries)
    )
    with progress_bar(count, t(lang_of(), "cli.progress.generate")) as tick:
        paths = project.generate(
            period,
            countries=countries,
            regional=regional,
            outdated=outdated,
            lang=lang,
            out=out_dir,
            force=force,
            prefill=prefill,
            progress=tick,
            key_created=key_created,
        )
    if outdated and not paths:
        say("cli.generate.none_outdated", period=period)
    if fmt == "json":
        emit_json(generate_report(plan_file, period, paths, keys[0] if keys else None))
    else:
        for path in paths:
            click.echo(str(path))


# --- collect, status, history, export (matrix.collect, .status, .export, .store) ------------------


def open_project(plan_file: Path, store_path: str | None = None) -> Project:
    """The project of `plan_file`, with the store the command line names (`--store`, else
    `$MATRIX_STORE`, else ./matrix.sqlite); warnings about the store go to stderr."""
    from matrix.project import Project
    from matrix.store import StoreLocation

    project = Project(plan_file, StoreLocation.parse(store_path), on_warning=tell_issue)
    detail(
        t(
            lang_of(),
            "cli.verbose.project",
            plan=project.plan_file,
            id=project.plan.id,
            version=project.plan.content_hash()[:12],
            store=project.store,
        )
    )
    return project


@contextmanager
def progress_bar(count: int, label: str) -> Iterator[Callable[[object], None] | None]:
    """A bar on stderr for more than three items, drawn from the first one on, so that a refusal
    before any work stays one line; None (no bar) for fewer, with --quiet, and when stderr is not
    a terminal (a log file or a cron mail gets no bar drawings)."""
    if count <= 3 or verbosity() == QUIET or not sys.stderr.isatty():
        yield None
        return
    bar = click.progressbar(length=count, label=label, file=sys.stderr)
    try:
        yield lambda _: bar.update(1)
    finally:
        if bar.pos:
            bar.render_finish()


@cli.command(short_help="Record returned matrices in the store.")
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    metavar="FILE_OR_DIR...",
    type=click.Path(exists=True, path_type=Path),
)
@PROJECT_PLAN
@period_option(help="Only accept returns for this period; others are rejected.")
@STORE
@click.option(
    "--received",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
    default=None,
    metavar="DATE",
    help="When the returns arrived (UTC), for a backlog collected later; default: now.",
)
@FORMAT
@LANG
def collect(
    paths: tuple[Path, ...],
    plan_file: Path,
    period: Period | None,
    store_path: str | None,
    received,
    fmt: str,
    lang: str,
) -> None:
    """Validate returned matrices and record them in the store, with their history.

    The same file twice is a duplicate; of an office's returns for a period the one received last
    counts (both are kept), whatever the order they are collected in; rows two returns report
    differently are listed. A rejected file is recorded with its reasons. Exit 0 when every file
    was accepted or a duplicate, 1 when any was rejected. With --quiet, only rejected files are
    printed (on stderr); --format json: docs/schemas/collect.v1.json.

    Example:

        matrix collect returns/ --period 2026-09
    """
    from datetime import UTC

    from matrix.collect import CollectInterrupted
    from matrix.store import Outcome
    from matrix.validation import returned_workbooks

    project = open_project(plan_file, store_path)
    received_at = received.replace(tzinfo=UTC) if received else None
    try:
        with progress_bar(len(returned_workbooks(paths)), t(lang, "cli.progress.collect")) as tick:
            outcomes = project.collect(paths, period=period, received_at=received_at, progress=tick)
    except CollectInterrupted as stop:
        _print_outcomes(stop.outcomes, fmt, lang, stop.total, stopped_by(stop.signum))
        say(
            "cli.collect.stopped",
            signal=stopped_by(stop.signum),
            done=len(stop.outcomes),
            count=stop.total,
        )
        sys.exit(128 + stop.signum)
    _print_outcomes(outcomes, fmt, lang)
    sys.exit(1 if any(o.status is Outcome.REJECTED for o in outcomes) else 0)


def _print_outcomes(
    outcomes, fmt: str, lang: str, total: int | None = None, stopped: str | None = None
) -> None:
    from matrix.collect import rejections, render_outcomes
    from matrix.results import collect_report

    if fmt == "json":
        emit_json(collect_report(outcomes, total, stopped, lang))
    elif verbosity() == QUIET:
        for line in rejections(outcomes, lang):
            click.echo(line, err=True)
    else:
        click.echo(render_outcomes(outcomes, lang))


@cli.command(short_help="Who returned, is late, rejected or missing.")
@period_option(help="Reporting period, e.g. 2026-09 or 2026-Q3.", required=True)
@PROJECT_PLAN
@STORE
@FORMAT
@LANG
def status(period: Period, plan_file: Path, store_path: str | None, fmt: str, lang: str) -> None:
    """Every expected office for the period: returned, late, rejected or missing.

    Exit 0 when every office has returned (late counts), 1 when any is missing or rejected.

    Example:

        matrix status --period 2026-09 --format json
    """
    from matrix.results import status_json
    from matrix.status import render_status

    found = open_project(plan_file, store_path).status(period, lang=lang)
    if fmt == "json":
        emit_json(status_json(found))
    else:
        click.echo(render_status(found, lang))
    sys.exit(0 if found.complete else 1)


@cli.command(short_help="What one office reported, period by period.")
@click.argument("country", shell_complete=complete_offices)
@click.option(
    "--activity",
    default=None,
    metavar="ID",
    shell_complete=complete_activities,
    help="Only this activity (or one indicator ref).",
)
@PROJECT_PLAN
@STORE
@FORMAT
@LANG
def history(
    country: str, activity: str | None, plan_file: Path, store_path: str | None, fmt: str, lang: str
) -> None:
    """What COUNTRY (or the region) reported, period by period.

    Example:

        matrix history SDN --activity AP3-1
    """
    from matrix.results import history_json
    from matrix.status import render_history

    entries = open_project(plan_file, store_path).history(country, activity, lang=lang)
    if fmt == "json":
        emit_json(history_json(entries, lang))
    else:
        click.echo(render_history(entries, lang))


@cli.command(short_help="Export the dataset: xlsx, csv, json, HXL, IATI.")
@period_option(help="One period; every period up to the latest collected when omitted.")
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["xlsx", "csv", "json", "hxl", "iati"]),
    help="iati: an IATI 2.03 activity file, checked against the standard's schema.",
)
@output_option(help="File to write.")
@click.option(
    "--table",
    default="rows",
    show_default=True,
    type=click.Choice(["rows", "proposed", "initiatives", "overviews", "good_practices"]),
    help="What a csv or hxl file holds (xlsx and json hold every table).",
)
@PROJECT_PLAN
@STORE
@DOCUMENT_LANG
def export(
    period: Period | None,
    fmt: str,
    out_path: Path | StandardOutput,
    table: str,
    plan_file: Path,
    store_path: str | None,
    lang: str | None,
) -> None:
    """Write the consolidated dataset: one row per country, activity indicator and period, with the
    plan's fields and the progress reported; and the offices' proposed activities, initiatives
    outside the plan, overviews and good practices. HXL is CSV with a hashtag row for HXL tools;
    JSON follows docs/export-json.schema.json; IATI needs `iati: reporting_org:` in the plan.

    Example:

    \b
        matrix export --period 2026-09 --format xlsx -o progress-2026-09.xlsx
        matrix export --format csv --table initiatives -o initiatives.csv
        matrix export --format iati -o activities.xml
        matrix export --format csv | csvstat
    """
    count = open_project(plan_file, store_path).export(
        out_path, fmt, period=period, table=table, lang=lang
    )
    _wrote(out_path, "cli.export.wrote", "cli.export.wrote_stdout", count=count)


def _wrote(out: Path | StandardOutput, key: str, stdout_key: str, **params: object) -> None:
    """Say where the output went: the file (`key`, with its path), or standard output."""
    if isinstance(out, StandardOutput):
        say(stdout_key, **params)
    else:
        say(key, path=out, **params)


@cli.command(short_help="Check returned matrices; say what to fix, where.")
@click.argument(
    "paths",
    metavar="FILE_OR_DIR...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, path_type=Path),
)
@PROJECT_PLAN
@FORMAT
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write into this folder (outside the returns) a copy of each workbook with its problems "
    "marked and a Feedback sheet.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@STORE
@LANG
def validate(
    paths: tuple[Path, ...],
    plan_file: Path,
    fmt: str,
    annotate_dir: Path | None,
    strict: bool,
    store_path: str | None,
    lang: str,
) -> None:
    """Check returned matrices and say exactly what to fix, by file, sheet and cell.

    A folder means every workbook in it; feedback copies written by --annotate are skipped. A
    matrix of an earlier plan version is checked against that version (kept in the .matrix folder
    beside the plan and in the store) and read onto the current plan, with the plan's changes
    since listed as notes. When there is a store, returns are also compared with what it accepted
    for earlier periods, as `matrix collect` compares them; nothing is recorded.
    Exit 0 when every file is valid (warnings allowed unless --strict), 1 when any has errors,
    2 for usage errors.

    Example:

        matrix validate returns/ --plan plan.yaml --annotate feedback/
    """
    from matrix.results import validate_json

    project = open_project(plan_file, store_path)
    copies = (
        project.feedback_copies(annotate_dir, paths, lang=lang)
        if annotate_dir is not None
        else None
    )
    results = project.validate(paths)
    if fmt == "json":
        emit_json(validate_json(results, lang))
    for result in results:
        if fmt == "text":
            print_issues(result.issues)
            if verbosity() > QUIET:
                click.echo(
                    t(lang, "cli.summary.skipped", name=result.file)
                    if result.skipped
                    else summary(result.file, result.issues)
                )
        if copies is not None:
            note(copies.write(result))
    failed = any(not r.skipped and (not r.accepted or (strict and r.issues)) for r in results)
    sys.exit(1 if failed else 0)


@cli.group("store", short_help="Create a store, or copy one (SQLite, PostgreSQL).")
def store_group() -> None:
    """Create a store, or copy one between SQLite and PostgreSQL.

    Example:

        matrix store init postgresql://matrix_owner@db.example.org/matrix
    """


@store_group.command("init")
@click.argument("where", metavar="PATH_OR_URL")
@LANG
def store_init(where: str, lang: str) -> None:
    """Create the store's tables (or bring an older store up to date) at PATH_OR_URL.

    Run it once as the database's owner, then give collectors and readers their own roles (README).

    Example:

        matrix store init postgresql://matrix_owner@db.example.org/matrix
    """
    from matrix.store import Store

    with Store.open(where) as store:
        say("cli.store.ready", location=store.location, version=store.version)


@store_group.command("copy")
@click.argument("source", metavar="SRC")
@click.argument("target", metavar="DST")
@LANG
def store_copy(source: str, target: str, lang: str) -> None:
    """Copy every row of the store SRC into the new, empty store DST (SQLite or PostgreSQL, either
    way).

    Row counts and a checksum of every table are compared before the copy is committed; any
    difference is an error and DST is left as it was.

    Example:

        matrix store copy matrix.sqlite postgresql://matrix_owner@db.example.org/matrix
    """
    from matrix.store import Store
    from matrix.store.copy import copy_store, render_checks

    with Store.open(source, create=False) as src, Store.open(target) as dst:
        checks = copy_store(src, dst)
    click.echo(render_checks(checks, lang))
    say("cli.store.copied", source=src.location, target=dst.location)


# --- report, compendium and demo (matrix.report, matrix.compendium, matrix.demo) --------------


@cli.command(short_help="Write a period's progress report (HTML or PDF).")
@period_option(help="Reporting period of the report, e.g. 2026-Q4.", required=True)
@country_option(help="Report on one country (or the region code) only.")
@DOCUMENT_LANG
@PROJECT_PLAN
@STORE
@output_option(help="The file to write: NAME.html, or NAME.pdf printed by Chromium.")
@click.option(
    "--pdf", is_flag=True, help="Write a PDF (printed by Chromium) whatever OUT is called."
)
def report(
    period: Period,
    country: str | None,
    lang: str | None,
    plan_file: Path,
    store_path: str | None,
    out_path: Path | StandardOutput,
    pdf: bool,
) -> None:
    """Write the progress report for PERIOD as one self-contained HTML file, or a PDF when OUT
    ends in .pdf (or with --pdf).

    The HTML needs no network, reads well on a phone and prints cleanly to PDF.

    Example:

    \b
        matrix report --period 2026-Q4 -o report-2026-Q4.html
        matrix report --period 2026-Q4 --lang ar -o report-2026-Q4-ar.pdf
    """
    open_project(plan_file, store_path).report(
        period, out_path, country=country, lang=lang, pdf=pdf
    )
    _wrote(out_path, "cli.wrote", "cli.report.wrote_stdout")


@cli.command(short_help="Compile the good practices (HTML or PDF).")
@period_option(help="One reporting period, e.g. 2026-Q4.")
@period_option("--from", "first", help="First period of a range [default: the plan's first].")
@period_option("--to", "last", help="Last period of a range [default: the latest collected].")
@DOCUMENT_LANG
@PROJECT_PLAN
@STORE
@output_option(
    help="The file to write: NAME.html, or NAME.pdf printed by Chromium; HTML on standard output."
)
def compendium(
    period: Period | None,
    first: Period | None,
    last: Period | None,
    lang: str | None,
    plan_file: Path,
    store_path: str | None,
    out_path: Path | StandardOutput,
) -> None:
    """Compile every good practice the offices described, by action point, country and period,
    into one self-contained HTML file, or a PDF when OUT ends in .pdf.

    Without --period, --from or --to: every period collected so far.

    Example:

    \b
        matrix compendium -o compendium.html
        matrix compendium --from 2026-Q3 --to 2027-Q2 -o good-practices-2026-27.pdf
    """
    if period and (first or last):
        raise click.UsageError(t(lang_of(), "error.period_or_range"))
    context = open_project(plan_file, store_path).compendium(
        out_path, period=period, first=first, last=last, lang=lang
    )
    _wrote(out_path, "cli.compendium.wrote", "cli.compendium.wrote_stdout", count=context.count)


@cli.command(short_help="Run the whole cycle on a bundled example.")
@click.argument(
    "directory", type=click.Path(file_okay=False, path_type=Path), default="matrix-demo"
)
@store_option(
    help="Collect into this (empty) store instead of DIRECTORY/matrix.sqlite, "
    "e.g. a postgresql:// URL."
)
@LANG
def demo(directory: Path, store_path: str | None, lang: str) -> None:
    """Run the whole cycle on the bundled Dar es Salaam example in DIRECTORY (default
    ./matrix-demo).

    It writes the plan, generates every office's matrix for two quarters, fills them in as offices
    would (with a few typical mistakes, one late office and one missing return), collects them into
    a store, writes feedback copies of the rejected returns and renders the report.

    Example:

        matrix demo ~/matrix-demo
    """
    from matrix.demo import run_demo

    click.echo(run_demo(directory, store=store_path).render(lang))
