"""The targeting engine is a pure Python package: importing it imports no Django."""

from __future__ import annotations

import subprocess
import sys


def test_importing_targeting_imports_no_django() -> None:
    code = (
        "import sys, xiaoneng.targeting, xiaoneng.targeting.evaluate, xiaoneng.targeting.cli; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
