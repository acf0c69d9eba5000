"""The two profiles' population settings: cohort sizes and shares, group behaviour, dates.

Calibrated scales (`pfs_scale`, `os_scale`) are the values `calibration.py` finds for the
paper profile's seed; the scale profile uses them as they are (same distributions).
"""

from __future__ import annotations

from datetime import date

from il2_registry.generator.sampler import GroupParams

DATA_CUTOFF = date(2018, 3, 31)

# Paper profile (published: 40 + 17 prior ICB, 1122 IL-2 alone; the IL-2-alone disease split
# is not published: chosen 580 mM / 542 mRCC, see docs/generator.md).
PAPER_PRIOR_ICB = {"MELANOMA": 40, "RCC": 17}
PAPER_IL2_ALONE = {"MELANOMA": 580, "RCC": 542}
PAPER_TOTAL = sum(PAPER_PRIOR_ICB.values()) + sum(PAPER_IL2_ALONE.values())

PRIOR_ICB_SHARE = sum(PAPER_PRIOR_ICB.values()) / PAPER_TOTAL
MELANOMA_SHARE = {
    "prior_icb": PAPER_PRIOR_ICB["MELANOMA"] / sum(PAPER_PRIOR_ICB.values()),
    "il2_alone": PAPER_IL2_ALONE["MELANOMA"] / sum(PAPER_IL2_ALONE.values()),
}

# (disease, cohort) -> behaviour. BOR shares: IL-2 alone from the registry's 2005-2012 report
# (mM 5/10/22/63 %), except mRCC where a 62 % PD rate cannot give the published 13.0-month
# median PFS: 6/9/43/40 % (docs/generator.md). 2 % die before any assessment (BOR NE).
GROUPS: dict[tuple[str, str], GroupParams] = {
    # IL-2 alone: scales as calibrated for the paper seed (the paper profile re-solves them).
    ("MELANOMA", "il2_alone"): GroupParams(
        (0.05, 0.10, 0.22, 0.61, 0.02), 1.0, 1.22, "2005-01-03", "2018-02-15", first_assessment_scale=1.24
    ),
    ("RCC", "il2_alone"): GroupParams((0.06, 0.09, 0.43, 0.40, 0.02), 8.9, 1.77, "2005-01-03", "2018-02-15"),
    # Prior ICB (scale profile only; the paper profile designs these patients): Table 1 BOR.
    ("MELANOMA", "prior_icb"): GroupParams(
        (0.10, 0.125, 0.375, 0.40, 0.0), 1.0, 1.5, "2015-03-02", "2018-02-15", first_assessment_scale=1.24
    ),
    ("RCC", "prior_icb"): GroupParams((0.118, 0.118, 0.47, 0.294, 0.0), 3.0, 3.0, "2016-01-04", "2018-02-15"),
}
