"""Finding the binary, and how failures of the binary surface in Python."""

from __future__ import annotations

import os
import stat

import pytest
from conftest import SMALL

import relocant


def _script(path, body):
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_a_missing_binary_says_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.delenv("RELOCANT_BIN")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(relocant.BinaryNotFoundError) as caught:
        relocant.run(set=SMALL)
    message = str(caught.value)
    assert "cargo install --path ." in message
    assert "cargo build --release" in message and "RELOCANT_BIN=" in message
    assert isinstance(caught.value, relocant.RelocantError) and caught.value.exit_code is None

    with pytest.raises(relocant.BinaryNotFoundError, match="binary=/no/such/relocant"):
        relocant.run(set=SMALL, binary="/no/such/relocant")
    monkeypatch.setenv("RELOCANT_BIN", "/no/such/relocant")
    with pytest.raises(
        relocant.BinaryNotFoundError, match="RELOCANT_BIN=/no/such/relocant.*cargo build"
    ):
        relocant.sweep("any.toml")


def test_the_binary_is_found_by_argument_then_environment_then_path(binary, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(binary, bin_dir / "relocant")
    monkeypatch.delenv("RELOCANT_BIN")
    monkeypatch.setenv("PATH", str(bin_dir))
    assert relocant.find_binary() == bin_dir / "relocant"
    assert relocant.find_binary("relocant") == bin_dir / "relocant"  # a bare name, on PATH
    assert relocant.run(replicates=1, set=SMALL).manifest["replicates"] == 1

    fake = _script(tmp_path / "fake", "exit 0")
    monkeypatch.setenv("RELOCANT_BIN", str(fake))
    assert relocant.find_binary() == fake  # the environment before PATH
    assert relocant.find_binary(binary) == binary  # the argument before both
    assert relocant.run(replicates=1, set=SMALL, binary=binary).manifest["replicates"] == 1


def test_a_runtime_failure_and_a_signal_raise_relocant_error(tmp_path):
    boom = _script(tmp_path / "boom", "echo 'disk full' >&2; exit 1")
    with pytest.raises(relocant.RelocantError) as caught:
        relocant.run(binary=boom)
    assert caught.value.exit_code == 1
    assert caught.value.stderr.strip() == "disk full"
    assert "exit code 1, runtime failure" in str(caught.value)

    killed = _script(tmp_path / "killed", "kill -9 $$")
    with pytest.raises(relocant.RelocantError, match="killed by signal 9") as caught:
        relocant.validate(targets="t.csv", binary=killed)
    assert caught.value.exit_code == -9


def test_a_file_that_cannot_be_executed_raises_relocant_error(tmp_path):
    garbage = tmp_path / "relocant"
    garbage.write_bytes(b"\x00\x01 not a program")
    garbage.chmod(0o755)
    with pytest.raises(relocant.RelocantError, match="could not start") as caught:
        relocant.run(binary=garbage)
    assert caught.value.exit_code is None
    assert "cargo build --release" in str(caught.value)
