"""Finding the relocant binary, building its command lines and running it."""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

PathLike = Union[str, "os.PathLike[str]"]
Sets = Union[Mapping[str, Any], Iterable[str], None]

# Where run(), sweep() and validate() write when no `out` is given: a new directory per
# call under this folder of the current directory, so results stay next to the notebook
# or script that made them and re-running a cell never collides with an earlier result.
DEFAULT_OUTPUT_ROOT = "relocant-output"

BUILD_HINT = (
    "Build it from the relocant repository with `cargo install --path .` (puts `relocant` "
    "on PATH, in ~/.cargo/bin), or with `cargo build --release` and then set "
    "RELOCANT_BIN=/path/to/relocant/target/release/relocant (or pass binary=...)."
)


class RelocantError(RuntimeError):
    """A relocant command failed.

    ``exit_code`` is the program's exit status (2: bad input, such as an unknown scenario
    key, with every problem located as ``file:line:col: message`` in ``stderr``; 1: a
    failure while running), or ``None`` when the program could not be started.
    ``stderr`` holds what the program wrote to stderr, ``command`` the argument list.
    """

    def __init__(
        self,
        message: str,
        *,
        exit_code: Optional[int] = None,
        stderr: str = "",
        command: Sequence[str] = (),
    ):
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr = stderr
        self.command = list(command)


class BinaryNotFoundError(RelocantError):
    """No relocant binary was found (the message says how to build one)."""


def find_binary(binary: Optional[PathLike] = None) -> Path:
    """The relocant executable: ``binary``, else ``$RELOCANT_BIN``, else ``relocant`` on PATH."""
    for given, origin in ((binary, "binary="), (os.environ.get("RELOCANT_BIN"), "RELOCANT_BIN=")):
        if given is None or str(given) == "":
            continue
        path = Path(given).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return path.resolve()
        on_path = shutil.which(str(given)) if os.sep not in str(given) else None
        if on_path:  # a bare command name, such as binary="relocant-0.2"
            return Path(on_path)
        # A wrong explicit choice is an error, not a reason to fall back silently to
        # another binary on PATH (which may be an older version).
        raise BinaryNotFoundError(
            f"{origin}{given}: no executable relocant binary there. {BUILD_HINT}"
        )
    found = shutil.which("relocant")
    if found:
        return Path(found)
    raise BinaryNotFoundError(
        "relocant binary not found: no binary= argument, no RELOCANT_BIN environment "
        f"variable and no `relocant` on PATH. {BUILD_HINT}"
    )


def set_value(value: Any) -> str:
    """A Python value as the text of ``--set key=VALUE``, which relocant reads as TOML.

    Numbers, booleans, dates and lists keep their TOML type; a string is passed as written
    (relocant reads ``2023-06-01`` as a date and takes text TOML cannot read as a string).
    """
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # a numpy scalar (as the EMA Workbench passes) -> Python
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        # Inside an array a string must be quoted; a JSON string is a valid TOML one.
        items = [json.dumps(v) if isinstance(v, str) else set_value(v) for v in value]
        return "[" + ", ".join(items) + "]"
    return str(value)


def set_args(sets: Sets) -> list[str]:
    """``--set`` arguments from a dict ``{key: value}`` or a list of ``"key=value"``."""
    if sets is None:
        return []
    if isinstance(sets, str):
        sets = [sets]
    if isinstance(sets, Mapping):
        pairs = [f"{key}={set_value(value)}" for key, value in sets.items()]
    else:
        pairs = [str(pair) for pair in sets]
    args: list[str] = []
    for pair in pairs:
        args += ["--set", pair]
    return args


def option_args(**options: Any) -> list[str]:
    """``--name value`` for each option that is not None (underscores become dashes)."""
    args: list[str] = []
    for name, value in options.items():
        if value is not None:
            text = os.fspath(value) if isinstance(value, os.PathLike) else str(value)
            args += ["--" + name.replace("_", "-"), text]
    return args


def output_dir(out: Optional[PathLike], label: str, force: bool) -> tuple[Path, list[str]]:
    """The directory a command writes and the ``--out``/``--force`` arguments for it.

    With ``out`` None: a name not used before under ``./relocant-output/`` (relocant
    creates it, and refuses, rather than overwrites, should it exist after all). With an
    existing ``out``: an error unless ``force`` (relocant itself would refuse too, but
    saying so here gives the Python-side remedy).
    """
    if out is None:
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(DEFAULT_OUTPUT_ROOT) / f"{label}-{stamp}-{uuid.uuid4().hex[:8]}"
    else:
        path = Path(out).expanduser()
        if path.exists() and not force:
            raise FileExistsError(
                f"{path} already exists; pass force=True to replace it, or another out="
            )
    args = ["--out", os.fspath(path)]
    if force:
        args.append("--force")
    return path.resolve(), args


def execute(binary: Optional[PathLike], args: Sequence[str]) -> str:
    """Runs ``relocant ARGS``, returns its stdout; raises RelocantError on failure."""
    command = [os.fspath(find_binary(binary)), *args]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as error:  # e.g. a binary for another architecture
        raise RelocantError(
            f"could not start {command[0]}: {error}. {BUILD_HINT}", command=command
        ) from error
    if done.returncode != 0:
        code = done.returncode
        what = f"exit code {code}" if code > 0 else f"killed by signal {-code}"
        kind = {1: "runtime failure", 2: "bad input"}.get(code, "failure")
        detail = done.stderr.strip() or done.stdout.strip() or "(no message)"
        raise RelocantError(
            f"relocant {args[0]} failed ({what}, {kind}):\n{detail}",
            exit_code=code,
            stderr=done.stderr,
            command=command,
        )
    return done.stdout
