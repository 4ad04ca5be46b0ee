"""Turn user-input errors into clear messages and exit codes for the command line."""

from __future__ import annotations

import click

from scenarios.loading import InputError

#: exit code for invalid input files or arguments (click's own usage errors also use 2).
EXIT_INPUT = 2


class UserError(click.ClickException):
    """An error the user can fix (bad argument, missing run directory …); printed without trace."""

    exit_code = EXIT_INPUT


def run_cli(cli: click.Group, argv: list[str] | None) -> int:
    """Run ``cli``; print :class:`InputError` and other user errors as messages, return the code."""
    try:
        rv = cli.main(args=argv, prog_name="blinddrill", standalone_mode=False)
        if isinstance(rv, int) and rv:  # ctx.exit(code) returns the code in this mode
            return rv
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except InputError as exc:
        click.echo(f"Error: {exc}", err=True)
        return EXIT_INPUT
    except OSError as exc:  # a file problem no loader or writer turned into an InputError
        click.echo(f"Error: {os_error_line(exc)}", err=True)
        return EXIT_INPUT
    return 0


def os_error_line(exc: OSError) -> str:
    """One line for an ``OSError``: the path(s) and a plain reason, no errno or class name."""
    from scenarios.outputs import os_reason

    where = " -> ".join(str(f) for f in (exc.filename, exc.filename2) if f is not None)
    return f"{where}: {os_reason(exc)}" if where else os_reason(exc)


def fail(message: str) -> None:
    """Abort the current command with ``message`` (exit 2)."""
    raise UserError(message)


