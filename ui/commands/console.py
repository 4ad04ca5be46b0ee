"""``blinddrill console``: start the umpire console (a Streamlit app) on a live-drill store.

The console is thin: every read and write goes through :mod:`live` (roles are checked there
again on every call). This command only points Streamlit at ``ui/console/app.py`` with the
store's path in the environment and replaces itself with the Streamlit server process, so the
process id printed is the server's (a supervisor or a test can stop it directly).

``--demo`` first makes a ready demo drill in the store (see :mod:`ui.console.demo`): the seed
city, a generated and sealed scenario, a director and umpire accounts with demo passwords. The
drill is sealed and not started; the director unlocks and starts it in the console.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from pathlib import Path

import click

from ui.errors import UserError

#: environment variable through which the app learns the store's path.
DB_ENV = "BLINDDRILL_CONSOLE_DB"
APP = Path(__file__).resolve().parents[1] / "console" / "app.py"


def streamlit_argv(db: Path, host: str, port: int) -> list[str]:
    """The command line that serves the console app (Streamlit's own flags, no telemetry)."""
    return [sys.executable, "-m", "streamlit", "run", str(APP),
            "--server.headless", "true", "--server.address", host, "--server.port", str(port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--server.runOnSave", "false", "--client.toolbarMode", "minimal",
            "--theme.base", "light", "--", "--db", str(db)]


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def check_store(db: Path) -> None:
    """Refuse, before the server starts, a ``--db`` that is not a drill store the console can
    write (not SQLite, another program's database, an empty file, a read-only file or folder:
    the store writes its journal beside the file)."""
    from live.store import Store, StoreError

    for what, p in (("the file", db), ("its folder", db.resolve().parent)):
        if not os.access(p, os.W_OK):
            raise UserError(f"--db: {db}: {what} is read-only; the console records the drill "
                            "into it")
    try:
        Store(db, create=False).close()
    except StoreError as exc:
        raise UserError(f"--db: {exc}") from None


@click.command()
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("blinddrill.db"), show_default=True,
              help="The live-drill SQLite store (made by `blinddrill live init` or --demo).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True,
              help="TCP port.")
@click.option("--demo", is_flag=True,
              help="First make a ready demo drill in --db (seed city, sealed, not started) "
                   "with demo accounts, and print how to log in.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the printed instructions (the console itself has a switch).")
def console(db: Path, host: str, port: int, demo: bool, lang: str) -> None:
    """Start the umpire console (director, controllers, evaluators, trainers) in a browser.

    启动导调评估控制台(导演、控制员、评估员、培训人员),在浏览器中打开。
    """
    if importlib.util.find_spec("streamlit") is None:
        raise UserError("the console needs Streamlit: pip install 'blinddrill[console]'")
    if not _port_free(host, port):
        raise UserError(f"--port: {host}:{port} is already in use; pick another with --port")
    if demo:
        from ui.console.demo import format_demo, make_demo

        click.echo(format_demo(make_demo(db), lang))
    elif not db.exists():
        raise UserError(f"--db: {db} does not exist; create it with `blinddrill live --store "
                        f"{db} --user NAME init` or start with --demo")
    else:
        check_store(db)
    url = f"http://{host}:{port}/"
    click.echo(("控制台地址" if lang == "zh" else "console") + f": {url}", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    env = dict(os.environ, **{DB_ENV: str(db.resolve())})
    argv = streamlit_argv(db.resolve(), host, port)
    os.execve(argv[0], argv, env)  # the Streamlit server takes over this process
