"""Where the tests find real Pabulib files.

The small files the tests need live in tests/data/pabulib (see its README for their source and
licence). The large city files (Katowice, Kraków, Łódź, Warszawa, Wrocław: 17 MB) are benchmark
data and stay in ../shared/data/pabulib beside the checkout (or PB_PABULIB_DIR). A test whose file
is missing fails in CI (the CI variable is set) and is skipped, saying why, anywhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_REPOSITORY = Path(__file__).parent / "data" / "pabulib"
BESIDE = Path(os.environ.get("PB_PABULIB_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "pabulib"))
EXPECTED = (
    "Netherlands_Amsterdam_285.pb",
    "Netherlands_Assen_2024.pb",
    "Poland_Katowice_2023.pb",
    "Poland_Krakow_2024.pb",
    "Poland_Lodz_2022.pb",
    "Poland_Swiecie_2023.pb",
    "Poland_Warszawa_2026.pb",
    "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Wroclaw_2015_150_-_500.pb",
    "Switzerland_Zurich_D10.pb",
)


def find(name: str) -> Path | None:
    for folder in (IN_REPOSITORY, BESIDE):
        if (folder / name).is_file():
            return folder / name
    return None


def pabulib_path(name: str) -> Path:
    """The file, or a failure in CI and a visible skip elsewhere."""
    found = find(name)
    if found is None:
        message = f"{name} is in neither {IN_REPOSITORY} nor {BESIDE} (the benchmark data beside the checkout)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def all_files() -> list[Path]:
    """Every expected file that is here (test_the_pabulib_data_is_here says which are not)."""
    return [path for name in EXPECTED if (path := find(name)) is not None]
