"""Safe outputs: atomic file writes, atomic directory replacement, output-path checks.

Every command that writes a file goes through this module (the lowest layer, so the engine,
the evaluators and the ui can all use it), so that:

* a file is either its old self or its complete new self - never half-written: the bytes go
  to a temporary file in the same folder, are fsynced, then ``os.replace``-d into place
  (:func:`atomic_write`, :func:`atomic_write_many` for several files that belong together);
* a directory replaced with ``--force`` never leaves less than it found: the new directory is
  built beside the old one, then the two are swapped and only then the old one is removed
  (:func:`staged_dir`); a failure while building leaves the old directory untouched;
* an output that is one of the command's inputs is refused (:func:`refuse_input_overwrite`);
* every ``OSError`` (read-only target, a parent that is a file, an output that is a directory,
  a missing folder, no space) becomes ONE line naming the path (:class:`OutputError`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from scenarios.loading import InputError

_WHY = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENAMETOOLONG: "file name too long",
    errno.EISDIR: "is a directory (give a file name)",
    errno.ENOTDIR: "a parent of this path is a file, not a folder",
    errno.ENOENT: "the folder does not exist",
    errno.EEXIST: "already exists",
}


class OutputError(InputError):
    """An output cannot be written; ``str()`` is one line naming the path and why."""

    def __init__(self, path: str | Path, why: str) -> None:
        Exception.__init__(self, f"{path}: cannot write: {why}")
        self.source = str(path)
        self.problems = [f"cannot write: {why}"]


def os_reason(exc: OSError) -> str:
    """A short human reason for an ``OSError`` (no errno numbers, no Python class names)."""
    if exc.errno in _WHY:
        return _WHY[exc.errno]
    return (exc.strerror or type(exc).__name__).lower()


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_input_overwrite(output: str | Path, inputs: Iterable[str | Path | None],
                           option: str = "-o") -> None:
    """Raise :class:`OutputError` if ``output`` is (or, for a directory, contains) an input.

    ``inputs`` may hold ``None`` for built-in inputs; they are skipped.
    """
    out = Path(output)
    out_abs = Path(os.path.abspath(out))
    for inp in inputs:
        if inp is None:
            continue
        src = Path(inp)
        if _same(out, src) or Path(os.path.abspath(src)) == out_abs:
            raise OutputError(out, f"{option} would overwrite the input {src}; choose another "
                                   "output path")


def check_output_file(path: str | Path, *, create_parents: bool = True) -> Path:
    """Check that ``path`` can be written as a file; create missing parent folders if allowed.

    Raises :class:`OutputError` for a directory at ``path``, a parent that is a file, a missing
    folder (``create_parents=False``), or a folder that is not writable.
    """
    p = Path(path)
    if p.is_dir():
        raise OutputError(p, "is a directory (give a file name)")
    parent = p.parent if str(p.parent) else Path(".")
    for anc in [parent, *parent.parents]:
        if anc.exists() and not anc.is_dir():
            raise OutputError(p, f"{anc} is a file, not a folder")
        if anc.exists():
            break
    if not parent.exists():
        if not create_parents:
            raise OutputError(p, f"the folder {parent} does not exist")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(p, os_reason(exc)) from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(p, f"the folder {parent} is not writable")
    if p.exists() and not os.access(p, os.W_OK):
        raise OutputError(p, "the file is read-only")
    return p


def _temp_beside(p: Path) -> tuple[int, Path]:
    parent = p.parent if str(p.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
    return fd, Path(name)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not all file systems allow opening a directory
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_many(files: Sequence[tuple[str | Path, bytes]], *,
                      create_parents: bool = True) -> None:
    """Write several files all-or-nothing as far as the file system allows.

    Every path is checked first, then every temporary file is written and fsynced; only when
    all of them are on disk are they renamed into place. A failure before the renames leaves
    every target as it was.
    """
    paths = [check_output_file(p, create_parents=create_parents) for p, _ in files]
    temps: list[Path] = []
    try:
        for p, (_, data) in zip(paths, files, strict=True):
            try:
                fd, tmp = _temp_beside(p)
            except OSError as exc:
                raise OutputError(p, os_reason(exc)) from None
            temps.append(tmp)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                if p.exists():
                    with contextlib.suppress(OSError):
                        os.chmod(tmp, p.stat().st_mode & 0o7777)
                else:
                    os.chmod(tmp, 0o666 & ~_umask())
            except OSError as exc:
                raise OutputError(p, os_reason(exc)) from None
        for p, tmp in zip(paths, temps, strict=True):
            try:
                os.replace(tmp, p)
            except OSError as exc:
                raise OutputError(p, os_reason(exc)) from None
            _fsync_dir(p.parent if str(p.parent) else Path("."))
        temps = []
    finally:
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: str | Path, data: bytes | str, *, create_parents: bool = True) -> None:
    """Write ``data`` (str is encoded as UTF-8) to ``path`` atomically (temp file, fsync,
    ``os.replace``); errors are one :class:`OutputError` line."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    atomic_write_many([(path, raw)], create_parents=create_parents)


def check_output_dir(path: str | Path, *, create: bool = False) -> Path:
    """Check that ``path`` can be (re)written as a directory: not a file, and its nearest
    existing folder a writable folder. Nothing is created unless ``create`` (then its missing
    parent folders are made): a check before the inputs are read must leave no empty folders
    behind when an input is then refused."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise OutputError(p, "is a file, not a directory")
    parent = Path(os.path.abspath(p)).parent
    existing = parent
    for anc in [parent, *parent.parents]:
        if anc.exists() and not anc.is_dir():
            raise OutputError(p, f"{anc} is a file, not a folder")
        if anc.exists():
            existing = anc
            break
    if create:
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(p, os_reason(exc)) from None
        existing = parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(p, f"the folder {existing} is not writable")
    return p


@contextlib.contextmanager
def staged_dir(target: str | Path, *, discard: Iterable[str] = ()) -> Iterator[Path]:
    """Build a directory beside ``target`` and swap it in only if the ``with`` body succeeds.

    Yields the new (empty) directory. On success, entries of the old ``target`` that were not
    written anew and are not named in ``discard`` are carried over into the new directory (so
    nothing the command does not own is lost); then the old directory is renamed aside, the new
    one renamed to ``target``, and only then the old one removed. On any exception - in the
    body or in the swap - the new directory is removed and ``target`` is exactly as it was.
    """
    t = check_output_dir(target, create=True)
    parent = Path(os.path.abspath(t)).parent
    try:
        new = Path(tempfile.mkdtemp(prefix=f".{t.name}.new-", dir=parent))
        os.chmod(new, (t.stat().st_mode & 0o7777) if t.is_dir() else 0o777 & ~_umask())
    except OSError as exc:
        raise OutputError(t, os_reason(exc)) from None
    try:
        yield new
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    discard_set = set(discard)
    moved: list[str] = []
    old: Path | None = None
    try:
        if t.is_dir():
            for entry in sorted(t.iterdir()):
                if (new / entry.name).exists() or entry.name in discard_set:
                    continue
                os.rename(entry, new / entry.name)
                moved.append(entry.name)
            old = Path(tempfile.mkdtemp(prefix=f".{t.name}.old-", dir=parent))
            os.rename(t, old / "d")
        os.rename(new, t)
    except OSError as exc:
        if old is not None and (old / "d").is_dir() and not t.exists():
            os.rename(old / "d", t)  # put the old directory back
        for name in moved:  # and what was carried over
            with contextlib.suppress(OSError):
                os.rename(new / name, t / name)
        shutil.rmtree(new, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        raise OutputError(t, os_reason(exc)) from None
    _fsync_dir(parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
