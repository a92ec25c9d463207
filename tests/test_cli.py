"""The `xiaoneng` command: its verbs, each with a --help that says what it does."""

from __future__ import annotations

import subprocess
import sys

import pytest

from xiaoneng.cli import VERBS

pytestmark = pytest.mark.slow  # every test starts the CLI in a subprocess


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xiaoneng.cli", *args], capture_output=True, text=True, timeout=60
    )


def test_help_lists_every_verb() -> None:
    result = run("--help")
    assert result.returncode == 0
    for verb in ("demo", "serve", "import", "export", "token", "plan", "draw", "manage"):
        assert verb in result.stdout


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        ("demo", "--entities"),
        ("serve", "--port"),
        ("import", "--update"),
        ("export", "--format"),
        ("token", "create"),
        ("plan", "patrol"),
        ("draw", "verify"),
        ("worker", "--max-delay"),
        ("jobs", "status"),
        ("backup", "-o"),
        ("restore", "--force"),
    ],
)
def test_each_verb_has_help(verb: str, expected: str) -> None:
    assert verb in VERBS
    result = run(verb, "--help")
    assert result.returncode == 0, result.stderr
    assert f"usage: xiaoneng {verb}" in result.stdout
    assert expected in result.stdout


def test_manage_passes_through_to_django() -> None:
    result = run("manage", "help", "migrate")
    assert result.returncode == 0
    assert "migrate" in result.stdout


def test_unknown_verb_exits_2() -> None:
    result = run("frobnicate")
    assert result.returncode == 2
    assert "unknown verb 'frobnicate'" in result.stderr
