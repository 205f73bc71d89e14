"""The `jcredit` command: parse options, call one library function, print, exit."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path

import click

from toolkit import __version__
from toolkit.errors import ToolkitError

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
    from toolkit import messages

    return messages.render(code, _lang(ctx), params)


def _quiet(ctx: click.Context) -> bool:
    return ctx.meta.get("verbosity", 0) < 0


class JcreditGroup(click.Group):
    """Maps library errors to exit codes in one place: 1 for user-fixable input, 3 for bugs."""

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
        except Exception as error:  # a bug: short message, traceback only with -v
            log.debug("internal error", exc_info=True)
            from toolkit import messages

            click.echo(messages.render("cli.internal_error", _lang(ctx), {"error": repr(error)}), err=True)
            ctx.exit(3)


@click.group(cls=JcreditGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="jcredit", message="%(prog)s %(version)s")
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
        from toolkit import messages

        click.echo(
            f"{project}: "
            + messages.render(
                summary, lang, {"errors": len(result.errors), "warnings": len(result.warnings)}
            ),
            err=not result.valid,
        )
    ctx.exit(0 if result.valid else 1)


def _print_problems(errors, warnings, lang: str) -> None:
    from toolkit import messages

    for problem in errors:
        click.echo(click.style("E ", fg="red") + problem.line(lang), err=True)
    shown: Counter = Counter()
    for problem in warnings:
        shown[problem.code] += 1
        if shown[problem.code] <= WARNINGS_SHOWN_PER_KIND:
            click.echo(click.style("W ", fg="yellow") + problem.line(lang), err=True)
    for code, count in sorted(shown.items()):
        if count > WARNINGS_SHOWN_PER_KIND:
            click.echo(
                "  "
                + messages.render(
                    "more_warnings", lang, {"kind": code, "count": count - WARNINGS_SHOWN_PER_KIND}
                ),
                err=True,
            )


def _start_date(ctx: click.Context, param: click.Parameter, value: str | None):
    if not value:
        return None
    from toolkit.read import normalize

    try:
        return normalize.coerce(value, "date")[0]
    except (normalize.NormalizeError, ValueError):
        raise click.BadParameter(_say(ctx, "cli.start_form")) from None


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
@click.option("--force", is_flag=True, help="Overwrite files init would write.")
@common_options
@click.pass_context
def init(ctx: click.Context, directory: Path, code: str, project_type: str, start, force: bool, lang: str):
    """プロジェクトフォルダを作成 / create a project folder with inputs to fill in."""
    import datetime as dt

    from toolkit.calculate import factors as factor_tables
    from toolkit.scaffold import create_project, rules_version

    written = create_project(directory, code, project_type, force=force, start=start or dt.date.today())
    version = rules_version()
    spec = factor_tables.rule_versions()[version]
    click.echo(
        _say(ctx, "cli.init_rules", rules=version, label=spec["label"], status=spec["status"]), err=True
    )
    for path in written:
        click.echo(str(path))


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


@cli.command()
@click.argument("project", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--monitoring",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Readings file to use instead of the project's monitoring/.",
)
@click.option("--period", callback=_period, help="Report period START:END (either side may be empty).")
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
    result = run.estimate if planned else run.calculation
    if planned and output_format == "text":
        click.echo(messages.render("cli.plan_estimate", lang))
        shown = [str(activity.activity_id) for activity in result.activities if activity.periods]
        if schema.project_type(run.project.data) == "program":
            params = {"activity": ", ".join(shown) or "—", "count": result.represented}
            click.echo(messages.render("cli.plan_represented", lang, params))
    if output_format == "json":
        # compact: the C encoder, ten times faster than indent= on a 10,000-activity program
        click.echo(
            json.dumps(
                report.calculation_json(result, lang, detail), ensure_ascii=False, separators=(",", ":")
            )
        )
    elif not result.factors_missing and not result.no_readings:
        click.echo(
            report.calculation_text(result, lang)
        )  # no figure while a factor or every reading is missing
    _print_problems(result.errors, [] if _quiet(ctx) else result.warnings, lang)
    if output_format == "text":
        _print_rows_to_add(result.errors, lang)
    ctx.exit(1 if result.errors else 0)


def _print_rows_to_add(errors, lang: str) -> None:
    """The factors.yaml rows every missing factor asks for, all years at once, ready to paste."""
    from toolkit import messages
    from toolkit.calculate import factors as factor_tables

    block = factor_tables.rows_to_add(errors)
    if block:
        click.echo("", err=True)
        click.echo(messages.render("cli.rows_to_add", lang), err=True)
        click.echo(block, err=True)


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
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Output folder (created whole; manifest.json records inputs and outputs).",
)
@click.option(
    "--format",
    "formats",
    default="pdf,docx,xlsx",
    show_default=True,
    callback=_formats,
    help="Comma-separated formats.",
)
@click.option("--final", is_flag=True, help="Refuse while a required field is empty (no draft markers).")
@click.option(
    "--monitoring",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Readings file to use instead of the project's monitoring/.",
)
@click.option("--period", callback=_period, help="Report period START:END (either side may be empty).")
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
    monitoring: Path | None,
    period,
    force: bool,
    lang: str,
):
    """計画書・報告書・活動リストを出力 / render the plan, the monitoring report or the activity list."""
    from toolkit.pipeline import Run

    run = Run(project, monitoring, period)
    built, written = run.render(document, outdir, formats, final, force)
    _print_problems([], [] if _quiet(ctx) else run.calculation.warnings, lang)
    if built.open_items and not _quiet(ctx):
        from toolkit import messages

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
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to this file."
)
@click.option(
    "--monitoring",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Readings file to use instead of the project's monitoring/.",
)
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
    result = Run(project, monitoring).checklist(stage)
    name = result.project
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


def main() -> None:
    """The `jcredit` entry point."""
    # A run builds hundreds of thousands of small objects and frees them at exit; the cycle
    # collector would walk them over and over (about a quarter of calc's time) for nothing.
    gc.disable()
    cli(prog_name="jcredit")


if __name__ == "__main__":
    sys.exit(main())
