"""``blinddrill report``: write the after-action report (HTML or Word AAR/IP) of a run."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("run_dir", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="aar.html (self-contained page) or aar.docx (Word AAR/IP).")
@click.option("--baseline", type=click.Path(path_type=Path), metavar="DIR",
              help="directory of simulated run directories (default: RUN_DIR/baseline if any)")
@click.option("--actions", type=click.Path(dir_okay=False, path_type=Path), metavar="YAML",
              help="corrective actions by cause for the improvement plan "
                   "(default: evaluators/data/actions.yaml)")
def report(run_dir: Path, lang: str, output: Path, baseline: Path | None,
           actions: Path | None) -> None:
    """Write the after-action report of RUN_DIR (评估报告及改进计划)."""
    from engine.gcpause import paused_gc
    from ui.errors import UserError
    from ui.reports import write_report

    if not run_dir.is_dir():
        raise UserError(f"{run_dir}: not a directory (give a run directory with events.jsonl)")
    with paused_gc():  # log-sized work (engine.gcpause)
        path = write_report(run_dir, output, lang, baseline, actions)
    click.echo(f"{'已写出' if lang == 'zh' else 'wrote'} {path}")
