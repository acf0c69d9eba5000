"""The codes seed is the one list of the project's codes: the package reads the seed's bytes,
and every `accepted_codes` test in the models names a code set the seed has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from il2_registry import codes

ROOT = Path(__file__).resolve().parents[1]


def test_package_reads_the_seed_itself():
    packaged = ROOT / "python" / "il2_registry" / "data" / "codes.csv"
    assert packaged.is_symlink() and packaged.resolve() == (ROOT / "seeds" / "codes.csv").resolve()


def test_code_sets_in_display_order():
    assert codes.DISEASES == ("mM", "mRCC")
    assert codes.COHORTS == ("prior_icb", "il2_alone")
    assert codes.ENDPOINTS == ("OS", "PFS", "DOR")
    assert codes.RESPONSES == ("CR", "PR", "SD", "PD", "NE")
    assert codes.labels("cohort") == {"prior_icb": "IL-2 after PD-1/PD-L1", "il2_alone": "IL-2 alone"}


def test_unknown_code_set_is_an_error():
    with pytest.raises(KeyError, match="no code set 'diseases'"):
        codes.codes("diseases")


def test_every_accepted_codes_test_names_a_code_set_of_the_seed():
    used = set()
    for path in (ROOT / "models").rglob("*.yml"):
        used |= set(re.findall(r"code_set: (\w+)", path.read_text()))
    assert used, "no accepted_codes test found"
    for code_set in sorted(used):
        assert codes.codes(code_set), code_set
