"""The `jcredit` command: parse options, call one library function, print, exit."""

from __future__ import annotations

import atexit
import gc
import json
import logging
import os
import re
import signal
import stat
import sys
import threading
from collections import Counter
from pathlib import Path

import click

from toolkit import __version__, messages
from toolkit.errors import FactorError, ToolkitError, ValidationFailed
from toolkit.problems import Problem

log = logging.getLogger("toolkit")
WARNINGS_SHOWN_PER_KIND = 10


def _default_lang() -> str:
    return "en" if os.environ.get("JCREDIT_LANG", "").lower().startswith("en") else "ja"


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value:
        ctx.meta["verbosity"] = ctx.meta.get("verbosity", 0) + (value if param.name == "verbose" else -value)
        level = logging.DEBUG if ctx.meta["verbosity"] > 0 else logging.ERROR
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    return value


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str) -> str:
    ctx.meta["lang"] = value  # meta is shared with the group, which prints errors in this language
    return value


def verbosity_options(command):
    """-v and -q, taken before the command name or after it."""
    command = click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=_set_verbosity,
        help="More detail (tracebacks of internal errors).",
    )(command)
    return click.option(
        "-q", "--quiet", count=True, expose_value=False, callback=_set_verbosity, help="Less output."
    )(command)


def common_options(command):
    """--lang, -v and -q, shared by every command."""
    command = click.option(
        "--lang",
        type=click.Choice(["ja", "en"]),
        default=_default_lang,
        callback=_remember_lang,
        is_eager=True,
        help="メッセージの言語 / language of messages (default ja, or $JCREDIT_LANG).",
    )(command)
    return verbosity_options(command)


def _lang(ctx: click.Context) -> str:
    return ctx.meta.get("lang") or _default_lang()


def _say(ctx: click.Context, code: str, **params) -> str:
    """A message of the catalogue in the command's language (--lang is read first: it is eager)."""
    return messages.render(code, _lang(ctx), params)


def _quiet(ctx: click.Context) -> bool:
    return ctx.meta.get("verbosity", 0) < 0


def _both(code: str) -> str:
    """A catalogue text in both languages, as the help shows it: `ja / en`."""
    return f"{messages.text(code, 'ja')} / {messages.text(code, 'en')}"


# Examples shown at the end of each command's --help (command lines read the same in both languages).
EXAMPLES = {
    "cli": [
        "jcredit init mypv --methodology EN-R-002 --type program",
        "jcredit validate samples/solar-program",
        "jcredit render plan samples/solar-program -o out/solar",
        "jcredit check samples/incomplete-solar --lang en",
    ],
    "validate": [
        "jcredit validate samples/solar-program",
        "jcredit validate samples/broken-project --lang en",
        "jcredit validate samples/broken-project --format json > report.json",
    ],
    "calc": [
        "jcredit calc samples/solar-program",
        "jcredit calc samples/solar-program --period 2025-04-01:2026-03-31 --format json --detail",
        "jcredit calc samples/solar-program --monitoring readings-2026.xlsx",
    ],
    "render": [
        "jcredit render plan samples/solar-program -o out/solar",
        "jcredit render monitoring samples/solar-program -o out/solar --format pdf,xlsx",
        "jcredit render plan samples/solar-program -o out/final --final",
    ],
    "check": [
        "jcredit check samples/incomplete-solar",
        "jcredit check samples/solar-program --stage verification --format html -o check.html",
        "jcredit check samples/solar-program --format xlsx -o checklist.xlsx --force",
    ],
    "init": [
        "jcredit init mypv --methodology EN-R-002 --type program --start 2026-04-01",
        "jcredit init myproject --methodology EN-S-006 --excel --start 2025-04-01",
    ],
    "diff": [
        "jcredit diff samples/led-factory out/led-factory-v2",
        "jcredit diff old/ new/ --format html -o changes.html",
        "jcredit diff old/project.yaml new/project.xlsx --format json --exit-code",
    ],
    "factors": ["jcredit factors --rules-version 2025-09", "jcredit factors --format json"],
    "methodologies": ["jcredit methodologies --lang en"],
    "review": [
        'jcredit review add samples/incomplete-solar proponent.postal_code "郵便番号を記入してください" --blocking',
        "jcredit review list samples/incomplete-solar",
        'jcredit review reply samples/incomplete-solar C1 "記入しました"',
        "jcredit review resolve samples/incomplete-solar C1",
        "jcredit review export samples/incomplete-solar -o review.xlsx",
        "jcredit review import samples/incomplete-solar review.xlsx",
    ],
    "batch": [
        "jcredit batch samples/solar-program samples/solar-program/new-members.xlsx -o out/batch",
        "jcredit batch apply samples/solar-program out/batch",
    ],
    "run": [
        "jcredit batch samples/solar-program new-members.xlsx -o out/batch --workers 2 --format docx,xlsx",
        "jcredit batch samples/solar-program new-members.xlsx -o out/batch --resume",
    ],
    "apply": ["jcredit batch apply samples/solar-program out/batch"],
}


class _Bilingual:
    """Help in both languages: headings, each option's help (cli.help.* keys) and examples at the end."""

    def _localise(self) -> None:
        for param in self.params:
            for code in (f"cli.help.{self.name}.{param.name}", f"cli.help.{param.name}"):
                if code in messages.TEMPLATES:
                    param.help = _both(code)
                    break
            if type(param.type) is click.Choice:  # its refusal in --lang
                param.type = Choice(param.type.choices, case_sensitive=param.type.case_sensitive)
        if self.name in EXAMPLES and not self.epilog:
            lines = "\n".join(f"  $ {line}" for line in EXAMPLES[self.name])
            self.epilog = f"\b\n{_both('cli.heading.examples')}:\n{lines}"

    def get_help_option(self, ctx: click.Context):
        """The -h/--help option, its help in both languages."""
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _both("cli.help.help")
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The usage line under a heading in both languages."""
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), f"{_both('cli.heading.usage')}: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The options (and a group's commands) under headings in both languages."""
        rows = [
            record
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument) and (record := param.get_help_record(ctx))
        ]
        if rows:
            with formatter.section(_both("cli.heading.options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section(_both("cli.heading.commands")):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in commands])


class JcreditCommand(_Bilingual, click.Command):
    """A command whose help is in Japanese and English."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._localise()


class Choice(click.Choice):
    """click.Choice whose refusal is in the command's language."""

    def convert(self, value, param, ctx):
        """The value if it is one of the choices, else a usage error in --lang."""
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            pass
        lang = _lang(ctx) if ctx is not None else _default_lang()
        self.fail(
            messages.render("cli.usage.choice", lang, {"choices": ", ".join(self.choices), "found": value}),
            param,
            ctx,
        )


def _args_lang(args: list[str]) -> str:
    """--lang as written on the command line, for errors found before the options are processed."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return "en" if args[index + 1] == "en" else "ja"
        if arg.startswith("--lang="):
            return "en" if arg.endswith("=en") else "ja"
    return _default_lang()


def usage_message(error: click.UsageError, lang: str) -> str:
    """A usage error of click in `lang`: which option or argument, and what was wrong."""

    def say(code: str, **params) -> str:
        return messages.render(code, lang, params)

    if isinstance(error, click.NoSuchOption):
        close = list(getattr(error, "possibilities", None) or ())
        hint = say("cli.usage.did_you_mean", close=", ".join(close)) if close else ""
        return say("cli.usage.no_such_option", option=error.option_name, hint=hint)
    if isinstance(error, click.MissingParameter) and error.param is not None:
        if isinstance(error.param, click.Argument):
            return say("cli.usage.missing_argument", argument=error.param.make_metavar(error.ctx))
        return say("cli.usage.missing_option", option=" / ".join(error.param.opts))
    if isinstance(error, click.BadOptionUsage):
        code = (
            "cli.usage.takes_no_value"
            if "does not take a value" in error.message
            else "cli.usage.needs_value"
        )
        return say(code, option=error.option_name)
    if isinstance(error, click.BadParameter):
        # our callbacks and Choice already speak --lang; name the option the value was given to
        hint = error.param_hint or (" / ".join(error.param.opts) if error.param is not None else "")
        hint = " / ".join(hint) if isinstance(hint, (list, tuple)) else hint
        return f"{hint}: {error.message}" if hint else error.message
    found = re.fullmatch(r"No such command '(.+)'\.", error.message)
    if found and error.ctx is not None and isinstance(error.ctx.command, click.Group):
        known = ", ".join(error.ctx.command.list_commands(error.ctx))
        return say("cli.usage.no_such_command", command=found[1], known=known)
    found = re.fullmatch(r"Got unexpected extra arguments? \((.+)\)", error.message)
    if found:
        return say("cli.usage.extra_arguments", extra=found[1])
    return error.message


def _show_usage_error(error: click.UsageError, lang: str) -> None:
    if error.ctx is not None:
        click.echo(error.ctx.get_usage(), err=True)
        click.echo(messages.render("cli.usage.try", lang, {"command": error.ctx.command_path}), err=True)
        click.echo("", err=True)
    click.echo(messages.render("cli.usage.error", lang, {"message": usage_message(error, lang)}), err=True)


def _quiet_stdout() -> None:
    """The reader of stdout has gone (`| head`): send what is left to /dev/null, so exit stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (CliRunner)
        pass


class JcreditGroup(_Bilingual, click.Group):
    """Maps library errors to exit codes in one place: 1 for user-fixable input, 3 for bugs.

    Usage errors (2) are told in --lang; a closed stdout ends quietly with 141 (128 + SIGPIPE) and an
    interrupt with 130 (128 + SIGINT), as shells expect.
    """

    command_class = JcreditCommand

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._localise()

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run the program; click's own messages (usage errors) are replaced by ones in --lang."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        argv = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(argv, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except click.UsageError as error:
            lang = error.ctx.meta.get("lang") if error.ctx is not None else None
            _show_usage_error(error, lang or _args_lang(argv))  # --lang may not be processed yet
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort as error:  # click turns an interrupt while parsing into Abort
            if isinstance(error.__cause__, KeyboardInterrupt):
                click.echo(messages.render("cli.interrupted", _args_lang(argv)), err=True)
                sys.exit(128 + signal.SIGINT)
            click.echo(messages.render("cli.aborted", _args_lang(argv)), err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        """Run the command: a `ToolkitError` prints its problems and exits with its code, a bug exits 3."""
        try:
            return super().invoke(ctx)
        except ToolkitError as error:
            lang = _lang(ctx)
            for problem in error.problems:
                click.echo(problem.line(lang), err=True)
            if not error.problems:
                click.echo(str(error), err=True)
            ctx.exit(error.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _quiet_stdout()
            ctx.exit(128 + signal.SIGPIPE)
        except KeyboardInterrupt:
            click.echo("", err=True)
            click.echo(messages.render("cli.interrupted", _lang(ctx)), err=True)
            ctx.exit(128 + signal.SIGINT)
        except Exception as error:  # a bug: short message, traceback only with -v
            log.debug("internal error", exc_info=True)
            click.echo(messages.render("cli.internal_error", _lang(ctx), {"error": repr(error)}), err=True)
            ctx.exit(3)


@click.group(cls=JcreditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    "--version",
    prog_name="jcredit",
    message="%(prog)s %(version)s",
    help=_both("cli.help.version"),
)
@verbosity_options
def cli():
    """J-クレジットの計画書・モニタリング報告書を作るツールキット / J-Credit paperwork toolkit."""


@cli.command()
@click.argument("project", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="Report format."
)
@common_options
@click.pass_context
def validate(ctx: click.Context, project: Path, output_format: str, lang: str):
    """型と書式の誤りをすべて位置つきで表示 / report every type and format error with its location."""
    from toolkit.pipeline import Run

    result = Run(project).validation
    if output_format == "json":
        click.echo(
            json.dumps(
                {
                    "valid": result.valid,
                    "errors": [problem.as_json(lang) for problem in result.errors],
                    "warnings": [problem.as_json(lang) for problem in result.warnings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_problems(result.errors, [] if _quiet(ctx) else result.warnings, lang)
        summary = "summary_valid" if result.valid else "summary_invalid"
        click.echo(
            f"{project}: "
            + messages.render(summary, lang, {"errors": len(result.errors), "warnings": len(result.warnings)})
        )
    ctx.exit(0 if result.valid else 1)


def _print_problems(errors, warnings, lang: str, err: bool = False) -> None:
    """Problems as `E`/`W` lines: on stdout where they are the command's report (validate, calc), else stderr."""
    for problem in errors:
        click.echo(click.style("E ", fg="red") + problem.line(lang), err=err)
    shown: Counter = Counter()
    for problem in warnings:
        shown[problem.code] += 1
        if shown[problem.code] <= WARNINGS_SHOWN_PER_KIND:
            click.echo(click.style("W ", fg="yellow") + problem.line(lang), err=err)
    for code, count in sorted(shown.items()):
        if count > WARNINGS_SHOWN_PER_KIND:
            click.echo(
                "  "
                + messages.render(
                    "more_warnings", lang, {"kind": code, "count": count - WARNINGS_SHOWN_PER_KIND}
                ),
                err=err,
            )


def _start_date(ctx: click.Context, param: click.Parameter, value: str | None):
    if not value:
        return None
    from toolkit.read import normalize

    try:
        return normalize.coerce(value, "date")[0]
    except (normalize.NormalizeError, ValueError):
        raise click.BadParameter(_say(ctx, "cli.start_form", found=value)) from None


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--methodology", "code", required=True, help="Methodology code, e.g. EN-R-002.")
@click.option(
    "--type",
    "project_type",
    type=click.Choice(["standard", "program"]),
    default="standard",
    show_default=True,
    help="standard (通常型: one proponent's own installations) or program (プログラム型: many members' activities).",
)
@click.option(
    "--start",
    callback=_start_date,
    help="Planned registration application date (sets the fiscal years of factors.yaml; default today).",
)
@click.option(
    "--excel",
    is_flag=True,
    help="Write project.xlsx (plan fields, tables and factors as sheets) instead of project.yaml and factors.yaml.",
)
@click.option("--force", is_flag=True, help="Overwrite files init would write.")
@common_options
@click.pass_context
def init(
    ctx: click.Context,
    directory: Path,
    code: str,
    project_type: str,
    start,
    excel: bool,
    force: bool,
    lang: str,
):
    """プロジェクトフォルダを作成 / create a project folder with inputs to fill in."""
    import datetime as dt

    from toolkit.calculate import factors as factor_tables
    from toolkit.scaffold import create_project, rules_version

    written = create_project(
        directory, code, project_type, start or dt.date.today(), force=force, excel=excel
    )
    version = rules_version()
    spec = factor_tables.rule_versions()[version]
    click.echo(
        _say(
            ctx,
            "cli.init_rules",
            rules=version,
            label=spec["label"],
            status=spec["status"],
            file="project.xlsx" if excel else "project.yaml",
        ),
        err=True,
    )
    for path in written:
        click.echo(str(path))


FILE_KINDS = (
    (stat.S_ISDIR, "cli.kind.folder"),
    (stat.S_ISFIFO, "cli.kind.pipe"),
    (stat.S_ISCHR, "cli.kind.device"),
    (stat.S_ISBLK, "cli.kind.device"),
    (stat.S_ISSOCK, "cli.kind.socket"),
)


def _regular_file(ctx: click.Context, value: str | None) -> Path | None:
    """--monitoring: a regular file, never a FIFO or pipe (reading one hangs or names /proc/N/fd/pipe:[…])."""
    if value is None:
        return None
    try:
        mode = os.stat(value).st_mode  # stat does not open: a FIFO does not block it
    except OSError as error:
        raise click.BadParameter(
            _say(ctx, "cli.file_unreadable", path=value, reason=error.strerror)
        ) from None
    if not stat.S_ISREG(mode):
        kind = next((code for test, code in FILE_KINDS if test(mode)), "cli.kind.other")
        raise click.BadParameter(_say(ctx, "cli.not_regular", path=value, kind=_say(ctx, kind)))
    return Path(value)


def _period(ctx: click.Context, param: click.Parameter, value: str | None):
    if not value:
        return None
    from toolkit.read import normalize

    try:
        start, _, end = value.partition(":")
        window = tuple(normalize.coerce(part, "date")[0] if part else None for part in (start, end))
    except (normalize.NormalizeError, ValueError):
        raise click.BadParameter(_say(ctx, "cli.period_form")) from None
    if window[0] and window[1] and window[1] < window[0]:
        raise click.BadParameter(_say(ctx, "cli.period_order"))
    return window


# --monitoring and --period mean the same in every command that takes them
monitoring_option = click.option(
    "--monitoring",
    callback=lambda ctx, param, value: _regular_file(ctx, value),
    metavar="FILE",
    help="Readings file to use instead of the project's monitoring/.",
)
period_option = click.option(
    "--period",
    callback=_period,
    metavar="START:END",
    help="Report period START:END (either side may be empty).",
)


@cli.command()
@click.argument("project", type=click.Path(path_type=Path, readable=False))
@monitoring_option
@period_option
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="Report format."
)
@click.option(
    "--detail", is_flag=True, help="JSON: each figure's formula, inputs and factor rows, for audit."
)
@click.option(
    "--plan",
    "planned",
    is_flag=True,
    help="The plan's estimate (見込量) from the planned inputs, per fiscal year of the crediting period.",
)
@common_options
@click.pass_context
def calc(
    ctx: click.Context,
    project: Path,
    monitoring: Path | None,
    period,
    output_format: str,
    detail: bool,
    planned: bool,
    lang: str,
):
    """削減量を活動・年度ごとに算定 / reductions per activity and fiscal year, with factors and totals."""
    from toolkit import messages, schema
    from toolkit.pipeline import Run
    from toolkit.render import calculation_report as report

    run = Run(project, monitoring, period)
    try:
        result = run.estimate if planned else run.calculation
    except (ValidationFailed, FactorError) as error:  # problems of the inputs: the report, on stdout
        if not error.problems:
            raise
        _print_report(list(error.problems), run.validation.warnings, output_format, lang, _quiet(ctx))
        ctx.exit(1)
    if planned and output_format == "text":
        click.echo(messages.render("cli.plan_estimate", lang))
        shown = [str(activity.activity_id) for activity in result.activities if activity.periods]
        if schema.project_type(run.project.data) == "program":
            params = {"activity": ", ".join(shown) or "—", "count": result.represented}
            click.echo(messages.render("cli.plan_represented", lang, params))
    if output_format == "json":
        click.echo(report.calculation_json(result, lang, detail), nl=False)  # UTF-8, its newline included
    elif result.complete:
        click.echo(report.calculation_text(result, lang))  # no figure while anything is missing
    # text: the problems are part of the report (stdout); beside JSON they are notes (stderr)
    _print_problems(result.errors, [] if _quiet(ctx) else result.warnings, lang, err=output_format == "json")
    if output_format == "text":
        _print_rows_to_add(result.errors, lang)
    ctx.exit(1 if result.errors else 0)


def _print_report(errors, warnings, output_format: str, lang: str, quiet: bool) -> None:
    """The problems of invalid inputs as validate reports them, for a command that could not go on."""
    if output_format == "json":
        report = {
            "valid": False,
            "errors": [problem.as_json(lang) for problem in errors],
            "warnings": [problem.as_json(lang) for problem in warnings],
        }
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_problems(errors, [] if quiet else warnings, lang)


def _print_rows_to_add(errors, lang: str) -> None:
    """The factors.yaml rows every missing factor asks for, all years at once, ready to paste."""
    from toolkit.calculate import factors as factor_tables

    block = factor_tables.rows_to_add(errors)
    if block:
        click.echo("")
        click.echo(messages.render("cli.rows_to_add", lang))
        click.echo(block)


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from toolkit.bundle import FORMATS

    asked = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [fmt for fmt in asked if fmt not in FORMATS]
    if unknown or not asked:
        raise click.BadParameter(_say(ctx, "cli.formats", known=",".join(FORMATS), given=value))
    return asked


def _document_kind(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from toolkit.documents import assemble

    if value not in assemble.kinds():
        raise click.BadParameter(
            _say(ctx, "cli.document_kind", known=", ".join(assemble.kinds()), given=value)
        )
    return value


@cli.command()
@click.argument("document", callback=_document_kind)
@click.argument("project", type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=Path),
    metavar="FOLDER",
    required=True,
    help="Output folder (manifest.json records inputs and outputs).",
)
@click.option(
    "--format",
    "formats",
    default="pdf,docx,xlsx",
    show_default=True,
    metavar="pdf,docx,xlsx",
    callback=_formats,
    help="Comma-separated formats.",
)
@click.option("--final", is_flag=True, help="Refuse while a required field is empty (no draft markers).")
@click.option(
    "--ignore-comments", is_flag=True, help="With --final, go ahead although review comments are open."
)
@monitoring_option
@period_option
@click.option("--force", is_flag=True, help="Replace outputs of an earlier render in the folder.")
@common_options
@click.pass_context
def render(
    ctx: click.Context,
    document: str,
    project: Path,
    outdir: Path,
    formats: tuple[str, ...],
    final: bool,
    ignore_comments: bool,
    monitoring: Path | None,
    period,
    force: bool,
    lang: str,
):
    """計画書・報告書・活動リストを出力 / render the plan, the monitoring report or the activity list."""
    from toolkit.pipeline import Run

    run = Run(project, monitoring, period)
    built, written = run.render(document, outdir, formats, final, force, ignore_comments)
    _print_problems([], [] if _quiet(ctx) else run.calculation.warnings, lang, err=True)  # stdout: the files
    if built.open_items and not _quiet(ctx):
        click.echo(messages.render("draft_open_items", lang, {"count": len(built.open_items)}), err=True)
    for path in written:
        click.echo(str(path))


@cli.command()
@click.argument("project", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--stage",
    type=click.Choice(["registration", "verification"]),
    default="registration",
    show_default=True,
    help="registration (妥当性確認・登録) or verification (検証・認証).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "xlsx", "html"]),
    default="text",
    help="Report format (xlsx needs -o).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), metavar="FILE", help="Write the report to this file."
)
@monitoring_option
@click.option("--force", is_flag=True, help="Overwrite the -o file if it exists.")
@common_options
@click.pass_context
def check(
    ctx: click.Context,
    project: Path,
    stage: str,
    output_format: str,
    output: Path | None,
    monitoring: Path | None,
    force: bool,
    lang: str,
):
    """審査前の確認リスト / the readiness checklist: what a verifier would send back (exit 0 when ready)."""
    from toolkit import bundle
    from toolkit.documents import assemble as documents
    from toolkit.errors import UsageError
    from toolkit.pipeline import Run
    from toolkit.render import checklist_forms as checklist_report

    if output_format == "xlsx" and output is None:
        raise UsageError(_say(ctx, "cli.xlsx_needs_output"))
    run = Run(project, monitoring)
    result = run.checklist(stage)
    name = result.project
    if output is not None:
        inputs = run.validation.project
        bundle.refuse_inputs(output, inputs.root, [inputs.project_file, *inputs.files])
    if output_format == "xlsx":
        bundle.write_file(
            output,
            lambda path: checklist_report.xlsx(result, lang, name, path, documents.build_time()),
            force,
        )
    else:
        if output_format == "json":
            text = json.dumps(checklist_report.as_json(result, lang), ensure_ascii=False, indent=2)
        elif output_format == "html":
            text = checklist_report.html(result, lang, name, documents.build_time(), result.overrides)
        else:
            text = checklist_report.text(result, lang, name, color=output is None and sys.stdout.isatty())
        if output is None:
            click.echo(text)
        else:
            bundle.write_file(output, lambda path: path.write_text(text + "\n", encoding="utf-8"), force)
    if output is not None:
        click.echo(str(output))
    ctx.exit(0 if result.ready else 1)


@cli.command()
@click.argument("old", type=click.Path(path_type=Path, readable=False))
@click.argument("new", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "html", "xlsx"]),
    default="text",
    help="Report format (xlsx needs -o).",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes, as git diff --exit-code.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), metavar="FILE", help="Write the report to this file."
)
@click.option(
    "--stage",
    type=click.Choice(["registration", "verification"]),
    default="registration",
    show_default=True,
    help="The stage whose findings are compared.",
)
@click.option("--force", is_flag=True, help="Overwrite the -o file if it exists.")
@common_options
@click.pass_context
def diff(
    ctx: click.Context,
    old: Path,
    new: Path,
    output_format: str,
    exit_code: bool,
    output: Path | None,
    stage: str,
    force: bool,
    lang: str,
):
    """二つの版の差分 / what changed between two versions of a project: inputs, evidence, results, findings."""
    from toolkit import bundle
    from toolkit.diff import forms
    from toolkit.documents import assemble as documents
    from toolkit.errors import UsageError
    from toolkit.pipeline import diff as compare

    if output_format == "xlsx" and output is None:
        raise UsageError(_say(ctx, "cli.xlsx_needs_output"))
    found = compare(old, new, stage)
    if output is not None:
        for side in (found.old, found.new):
            bundle.refuse_inputs(output, side.root, list(side.files))
    if output_format == "xlsx":
        bundle.write_file(output, lambda path: forms.xlsx(found, lang, path, documents.build_time()), force)
    else:
        if output_format == "json":
            text = json.dumps(forms.as_json(found, lang), ensure_ascii=False, indent=2)
        elif output_format == "html":
            text = forms.html(found, lang, documents.build_time(), found.new.overrides)
        else:
            text = forms.text(found, lang)
        if output is None:
            click.echo(text)
        else:
            bundle.write_file(output, lambda path: path.write_text(text + "\n", encoding="utf-8"), force)
    if output is not None:
        click.echo(str(output))
    ctx.exit(1 if exit_code and found.changed else 0)


class _BatchGroup(_Bilingual, click.Group):
    """`jcredit batch PROJECT MEMBERS.xlsx …` runs a batch; `jcredit batch apply PROJECT OUTDIR` hands it back."""

    command_class = JcreditCommand

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._localise()

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Anything but a subcommand or --help is the batch itself (`run`)."""
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@cli.group("batch", cls=_BatchGroup)
def batch_group():
    """会員の一括追加と書類作成 / add program members from a workbook, with their papers."""


def _progress(ctx: click.Context):
    """A progress bar on a terminal, plain progress lines otherwise (every tenth), on stderr."""
    if _quiet(ctx):
        return None
    terminal = sys.stderr.isatty()
    shown = {"step": -1}

    def report(done: int, total: int) -> None:
        if terminal:
            width = 30
            filled = width * done // max(total, 1)
            bar = "#" * filled + "-" * (width - filled)
            click.echo(
                f"\r[{bar}] " + _say(ctx, "batch.progress", done=done, total=total), nl=False, err=True
            )
            if done >= total:
                click.echo("", err=True)
        elif (step := 10 * done // max(total, 1)) != shown["step"]:
            shown["step"] = step
            click.echo(_say(ctx, "batch.progress", done=done, total=total), err=True)

    return report


@batch_group.command("run")
@click.argument("project", type=click.Path(path_type=Path, readable=False))
@click.argument("members", type=click.Path(path_type=Path, readable=False))
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path), metavar="FOLDER", required=True)
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N")
@click.option("--resume", is_flag=True)
@click.option(
    "--format",
    "formats",
    default="pdf,docx,xlsx",
    show_default=True,
    metavar="pdf,docx,xlsx",
    callback=_formats,
)
@click.option("--joined-on", "joined_on", callback=_start_date, metavar="DATE")
@click.option("--summary-format", "output_format", type=click.Choice(["text", "json"]), default="text")
@common_options
@click.pass_context
def batch_run(ctx, project, members, outdir, workers, resume, formats, joined_on, output_format, lang):
    """会員の行を検査し、受け付けた会員の書類を作る / check member rows and make the accepted members' papers."""
    from toolkit.batch.run import batch

    result = batch(
        project, members, outdir, workers, resume, formats, joined_on, progress=_progress(ctx), lang=lang
    )
    summary = result.summary
    if output_format == "json":
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True))
        ctx.exit(1 if summary["rejected"] else 0)
    for row in summary["rejections"]:
        for reason in row["reasons"]:
            click.echo(f"{reason['location']} {reason['path']}: {reason['message']} [{reason['rule']}]")
    if not _quiet(ctx):
        for note in summary["notes"]:
            click.echo(note, err=True)
    counts = {key: summary[key] for key in ("input_rows", "accepted", "rejected")}
    click.echo(_say(ctx, "batch.done", outdir=str(result.outdir), **counts))
    if summary["rejected"]:  # the outputs are whole; the rejected rows are input to fix (rejected.xlsx)
        ctx.exit(1)


@batch_group.command("apply")
@click.argument("project", type=click.Path(path_type=Path, readable=False))
@click.argument("outdir", type=click.Path(path_type=Path, readable=False))
@common_options
@click.pass_context
def batch_apply(ctx, project, outdir, lang):
    """受け付けた会員を活動一覧に加える / add a batch's accepted members to the project's activity workbook."""
    from toolkit.batch.apply import apply

    count, workbook, backup = apply(project, outdir)
    shown = str(backup) if backup.exists() else "—"  # nothing accepted: nothing changed, no backup
    click.echo(_say(ctx, "batch.applied", count=count, file=str(workbook), backup=shown))


@cli.command("factors")
@click.option("--rules-version", help="Show the switches of this rules version only.")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="Report format."
)
@common_options
def list_factors(rules_version: str | None, output_format: str, lang: str):
    """係数表と規程の版の一覧 / factor tables, their rows, sources and status, and the rule versions."""
    from toolkit.render import calculation_report as report

    data = report.factors_json(rules_version)
    if output_format == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(report.factors_text(data, lang))


@cli.command("methodologies")
@common_options
def list_methodologies(lang: str):
    """対応する方法論の一覧 / list supported methodologies."""
    from toolkit import methodologies

    for code in methodologies.codes():
        module = methodologies.get(code)
        click.echo(f"{code}  {module.NAME[lang]}  (Ver. {', '.join(module.VERSIONS)})")
        for parameter in module.MONITORING:
            click.echo(
                f"    {parameter.symbol:<12} {parameter.label[lang]} [{parameter.unit}] {parameter.frequency[lang]}"
            )


class JcreditSubgroup(_Bilingual, click.Group):
    """A group of commands under `jcredit` (review): help in both languages; errors go up to `cli`."""

    command_class = JcreditCommand

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._localise()


def _author(value: str | None) -> str:
    """--author, else $JCREDIT_AUTHOR, else the login name."""
    import getpass

    if value and value.strip():
        return value.strip()
    try:
        return os.environ.get("JCREDIT_AUTHOR", "").strip() or getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return ""


def _today():
    from toolkit.documents.assemble import build_time

    return build_time().date()


project_argument = click.argument("project", type=click.Path(path_type=Path, readable=False))
author_option = click.option(
    "--author", help="The author's name (default $JCREDIT_AUTHOR, else the login name)."
)


@cli.group(cls=JcreditSubgroup)
def review():
    """レビューコメント（review.yaml）/ review comments on data paths (review.yaml)."""


@review.command("add")
@project_argument
@click.argument("path")
@click.argument("text")
@author_option
@click.option(
    "--blocking", is_flag=True, help="Mark it blocking (the checklist is not ready until resolved)."
)
@common_options
@click.pass_context
def review_add(ctx: click.Context, project: Path, path: str, text: str, author, blocking: bool, lang: str):
    """項目にコメントを付ける / comment on the field at a data path."""
    from toolkit.read.folder import find_project_file
    from toolkit.review import comments

    root = find_project_file(project).parent
    added = comments.add(root, path, text, _author(author), _today(), blocking)
    click.echo(_say(ctx, "cli.review.added", id=added.id, path=added.path))


@review.command("list")
@project_argument
@click.option("--all", "show_all", is_flag=True, help="Show resolved comments too.")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", help="Report format."
)
@common_options
@click.pass_context
def review_list(ctx: click.Context, project: Path, show_all: bool, output_format: str, lang: str):
    """コメントの一覧（対象の項目がなくなったものも）/ list the comments, those on fields that are gone too."""
    from toolkit.read.folder import find_project_file, load_project
    from toolkit.review import comments, store

    root = find_project_file(project).parent
    found = comments.follow(store.read_valid(root), load_project(root).data)
    gone = {comment.id for comment in found.comments if comment.gone}
    shown = [comment for comment in found.comments if show_all or comment.open or comment.id in gone]
    if output_format == "json":
        listed = [
            {
                "id": comment.id,
                "path": comment.path,
                "author": comment.author,
                "date": comment.date.isoformat(),
                "status": comment.status,
                "blocking": comment.blocking,
                "text": comment.text,
                "replies": [
                    {"author": reply.author, "date": reply.date.isoformat(), "text": reply.text}
                    for reply in comment.replies
                ],
                "location": str(comment.location),
                "path_exists": comment.id not in gone,
            }
            for comment in shown
        ]
        click.echo(json.dumps({"comments": listed}, ensure_ascii=False, indent=2))
        return
    for comment in shown:
        mark = "!" if comment.blocking and comment.open else " "
        status = _say(ctx, f"cli.review.status.{comment.status}")
        orphan = " " + _say(ctx, "cli.review.orphan") if comment.id in gone else ""
        click.echo(f"{mark}{comment.id:<5} {status}  {comment.path}{orphan}  {comment.location}")
        indent = "\n" + " " * 9  # a multi-line text keeps its lines under the first
        click.echo(
            f"       {comment.author} {comment.date.isoformat()}: {comment.text.replace(chr(10), indent)}"
        )
        for reply in comment.replies:
            click.echo(
                f"       ↳ {reply.author} {reply.date.isoformat()}: {reply.text.replace(chr(10), indent)}"
            )
    if not found.comments:
        click.echo(_say(ctx, "cli.review.none"))
    open_ = [comment for comment in found.comments if comment.open]
    click.echo(
        _say(
            ctx,
            "cli.review.summary",
            total=len(found.comments),
            open=len(open_),
            blocking=sum(comment.blocking for comment in open_),
            orphans=len(gone),
        )
    )


@review.command("reply")
@project_argument
@click.argument("comment_id", metavar="ID")
@click.argument("text")
@author_option
@common_options
@click.pass_context
def review_reply(ctx: click.Context, project: Path, comment_id: str, text: str, author, lang: str):
    """コメントに返信 / answer a comment."""
    from toolkit.read.folder import find_project_file
    from toolkit.review import comments

    root = find_project_file(project).parent
    answered = comments.reply(root, comment_id, text, _author(author), _today())
    click.echo(_say(ctx, "cli.review.replied", id=answered.id))


@review.command("resolve")
@project_argument
@click.argument("comment_id", metavar="ID")
@click.option("--reopen", is_flag=True, help="Open a resolved comment again.")
@common_options
@click.pass_context
def review_resolve(ctx: click.Context, project: Path, comment_id: str, reopen: bool, lang: str):
    """コメントを解決済みにする / mark a comment resolved."""
    from toolkit.read.folder import find_project_file
    from toolkit.review import comments

    root = find_project_file(project).parent
    done = comments.resolve(root, comment_id, reopen)
    click.echo(_say(ctx, "cli.review.reopened" if reopen else "cli.review.resolved", id=done.id))


@review.command("export")
@project_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
    required=True,
    help="The Excel file to write.",
)
@click.option(
    "--stage",
    type=click.Choice(["registration", "verification"]),
    default="registration",
    show_default=True,
    help="The stage of the checklist the sheet lists.",
)
@monitoring_option
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
@common_options
@click.pass_context
def review_export(
    ctx: click.Context, project: Path, output: Path, stage: str, monitoring, force: bool, lang: str
):
    """コメントと確認リストを Excel に / the comments and the checklist on one sheet with a Reply column."""
    from toolkit import bundle
    from toolkit.documents import assemble as documents
    from toolkit.pipeline import Run
    from toolkit.review import comments, exchange, store

    run = Run(project, monitoring)
    result = run.checklist(stage)
    inputs = run.validation.project
    found = comments.follow(store.read_valid(inputs.root), inputs.data)
    bundle.refuse_inputs(output, inputs.root, [inputs.project_file, *inputs.files])
    bundle.write_file(
        output,
        lambda path: exchange.export(
            found, result, inputs.data, lang, path, documents.build_time(), result.project
        ),
        force,
    )
    click.echo(str(output))


@review.command("import")
@project_argument
@click.argument("workbook", type=click.Path(path_type=Path, dir_okay=False))
@author_option
@common_options
@click.pass_context
def import_replies(ctx: click.Context, project: Path, workbook: Path, author, lang: str):
    """Excel の返信やチェックリストのページの保存ファイルを review.yaml へ / bring the review sheet's Reply column
    (by comment id), or the comments saved from the checklist page (check-review-*.json), into review.yaml."""
    from toolkit.read.folder import find_project_file
    from toolkit.review import comments, exchange

    root = find_project_file(project).parent
    updates, problems = exchange.read_replies(_regular_file(ctx, str(workbook)))
    applied = comments.apply_updates(root, updates, _author(author), _today())
    unmatched = [*problems, *applied.unmatched]
    for problem in sorted(unmatched, key=Problem.sort_key):
        click.echo(click.style("W ", fg="yellow") + problem.line(lang), err=True)
    replies = sum(1 for update in updates if str(update.get("id", "")).upper() in applied.changed)
    click.echo(
        _say(
            ctx,
            "cli.review.imported",
            replies=replies,
            comments=len(applied.changed),
            added=len(applied.added),
        )
    )
    if unmatched:  # the rows that matched are in; these are told, to be answered another way
        click.echo(_say(ctx, "cli.review.unmatched", count=len(unmatched)), err=True)


def main() -> None:
    """The `jcredit` entry point."""
    # A run builds hundreds of thousands of small objects and frees them at exit; the cycle
    # collector would walk them over and over (about a quarter of calc's time) for nothing.
    gc.disable()
    signal.signal(signal.SIGTERM, _terminated)
    try:
        cli(prog_name="jcredit")
    except SystemExit as end:
        _exit(end)


def _exit(end: SystemExit) -> None:
    """Exit with `end`'s code, leaving what the command built to the system: Python's own shutdown would free
    it object by object first (a tenth of a second after calc on a large program). Output is flushed and the
    exit handlers (child processes, temporary folders) run as they would; output that cannot be flushed (a
    closed pipe) is left to Python's shutdown, which reports it as usual; so are threads and child processes
    still running (a batch's pool, interrupted): Python's shutdown joins them before its exit handlers run."""
    if not (end.code is None or isinstance(end.code, int)) or threading.active_count() > 1:
        raise end
    if "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children():
        raise end
    streams = [stream for stream in (sys.stdout, sys.stderr) if stream is not None]  # None: closed at start
    try:
        for stream in streams:
            stream.flush()
        atexit._run_exitfuncs()  # each handler once: Python's shutdown, if still reached, finds none left
        for stream in streams:
            stream.flush()
    except (OSError, ValueError):  # a closed pipe, a stream closed meanwhile
        raise end from None
    os._exit(end.code or 0)


def _terminated(signum: int, frame) -> None:
    """SIGTERM (`kill`, `timeout`) unwinds like an interrupt: staging folders are removed on the way out."""
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
