"""The 57 prior-ICB patients of the paper profile, designed one by one.

Each patient's outcome skeleton (best response path, follow-up, death, progression) is fixed
here so that the dictionary's rules applied to the records give the published figures; the
values the paper publishes only as mean (min-max) are fitted exactly by `calibration.py`.
Worked numbers (docs/generator.md, "Prior-ICB design"):

- mM follow-up (months): sorted 20th and 21st values are both 11.2 (median 11.2), min 0.3,
  max 30.9. Overall survival: no death is tied and the Kaplan-Meier curve falls from 0.575 to
  0.287 at the death at 29.4 months (median 29.4).
- mM PFS: 16 PD at first assessment and 3 SD progressions before day 107, then two
  progressions on day 107 (3.52 months): the curve falls from 21/40 to 19/40 there.
- mRCC follow-up: 9th of 17 sorted values is 11.3, min 0.6, max 29.0; 4 deaths: the curve
  never reaches 0.5 (not reached). PFS: 8 events before day 262, the 9th on day 262 (8.61
  months): 9/17 -> 8/17.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Outcome:
    """One patient's efficacy skeleton (days from day 1)."""

    bor: str
    initial: str
    follow_up_months: float  # months_follow_up: day 1 to death or last known alive
    dead: bool
    progression_day: int | None = None  # PFS event day (None: never progresses)
    progression_via: str = "assessment"  # assessment, contact (progression_date), therapy
    first_assessment_day: int | None = None
    censored_at_cutoff: bool = False  # known alive after the cut-off (follow-up = cut-off - day 1)
    death_after_cutoff: bool = False
    cycles: int | None = 0  # None = cycle data not available
    notes: list[str] = field(default_factory=list)


def _o(bor, initial, fu, dead=False, prog=None, via="assessment", a1=None, cycles=0, **kw) -> Outcome:
    return Outcome(bor, initial, fu, dead, prog, via, a1, cycles=cycles, **kw)


# mM, 40 patients. BOR CR 4 / PR 5 / SD 15 / PD 16 (published). Initial response: the rules
# make BOR PD exactly the patients whose first assessment is PD, so initial PD = 16 and SD = 21
# (published 17 and 20 cannot both hold with BOR PD 16; docs/generator.md).
MELANOMA: list[Outcome] = [
    # CR: no progression, no death, followed 14-31 months (paper: none progressed).
    _o("CR", "SD", 30.9, a1=49, cycles=6, censored_at_cutoff=True),
    _o("CR", "SD", 26.0, a1=56, cycles=5),
    _o("CR", "PR", 19.5, a1=52, cycles=4, censored_at_cutoff=True),
    _o("CR", "SD", 14.0, a1=45, cycles=4),
    # PR: 3 continuing (censored), 2 progressed.
    _o("PR", "PR", 23.0, a1=50, cycles=4),
    _o("PR", "PR", 17.5, a1=47, cycles=5, censored_at_cutoff=True),
    _o("PR", "SD", 13.0, a1=55, cycles=4),
    _o("PR", "SD", 24.5, prog=250, a1=51, cycles=5),
    _o("PR", "SD", 11.2, prog=240, via="therapy", a1=44, cycles=4),
    # SD: 3 progress before day 107, 2 on day 107, the rest later or never.
    _o("SD", "SD", 11.2, dead=True, prog=180, a1=46, cycles=4),
    _o("SD", "SD", 10.4, prog=107, a1=47, cycles=2),
    _o("SD", "SD", 9.5, prog=107, a1=50, cycles=2),
    _o("SD", "SD", 8.8, dead=True, prog=88, a1=44, cycles=2),
    _o("SD", "SD", 7.6, prog=95, via="contact", a1=43, cycles=2),
    _o("SD", "SD", 6.9, prog=101, a1=48, cycles=2),
    _o("SD", "SD", 12.5, prog=250, a1=53, cycles=3),
    _o("SD", "SD", 16.0, dead=True, prog=200, a1=49, cycles=3),
    _o("SD", "SD", 18.3, prog=320, a1=45, cycles=3),
    _o("SD", "SD", 22.0, a1=52, cycles=4, censored_at_cutoff=True),
    _o("SD", "SD", 27.0, prog=420, a1=47, cycles=4),
    _o("SD", "SD", 29.4, dead=True, prog=600, a1=54, cycles=4),
    _o("SD", "SD", 15.0, a1=46, cycles=None),
    _o("SD", "SD", 20.0, prog=350, via="contact", a1=51, cycles=5),
    _o("SD", "SD", 28.2, a1=50, cycles=None),
    # PD at the first assessment.
    _o("PD", "PD", 0.3, prog=9, a1=9, cycles=1),
    _o("PD", "PD", 2.2, dead=True, a1=48, cycles=1),
    _o("PD", "PD", 3.1, dead=True, a1=55, cycles=2),
    _o("PD", "PD", 4.0, dead=True, a1=61, cycles=1),
    _o("PD", "PD", 4.4, a1=52, cycles=2),
    _o("PD", "PD", 5.2, dead=True, a1=58, cycles=1),
    _o("PD", "PD", 5.9, dead=True, a1=63, cycles=2),
    _o("PD", "PD", 6.3, a1=49, cycles=None),
    _o("PD", "PD", 7.1, dead=True, a1=66, cycles=1),
    _o("PD", "PD", 8.0, a1=57, cycles=2),
    _o("PD", "PD", 9.0, dead=True, a1=60, cycles=1),
    _o("PD", "PD", 10.1, a1=54, cycles=2, censored_at_cutoff=True, death_after_cutoff=True),
    _o("PD", "PD", 10.6, dead=True, a1=70, cycles=1),
    _o("PD", "PD", 11.0, a1=47, cycles=None),
    _o("PD", "PD", 13.5, dead=True, a1=62, cycles=1),
    _o("PD", "PD", 17.0, dead=True, a1=53, cycles=2),
]

# mRCC, 17 patients. BOR CR 2 / PR 2 / SD 8 / PD 5; initial CR 1 / PR 1 / SD 10 / PD 5.
# Responders: none progressed, followed over two years.
RCC: list[Outcome] = [
    _o("CR", "CR", 29.0, a1=56, cycles=6, censored_at_cutoff=True),
    _o("CR", "SD", 25.5, a1=49, cycles=4),
    _o("PR", "PR", 27.2, a1=52, cycles=5),
    _o("PR", "SD", 24.4, a1=47, cycles=4, censored_at_cutoff=True),
    # SD: events on days 150, 200, 230 and the median event on 262; the rest later or never.
    _o("SD", "SD", 11.3, a1=50, cycles=2),
    _o("SD", "SD", 13.0, prog=262, a1=53, cycles=4),
    _o("SD", "SD", 9.8, dead=True, prog=150, a1=45, cycles=2),
    _o("SD", "SD", 16.5, prog=400, via="therapy", a1=48, cycles=4),
    _o("SD", "SD", 7.7, prog=200, a1=46, cycles=2),
    _o("SD", "SD", 19.0, dead=True, prog=330, a1=55, cycles=4),
    _o("SD", "SD", 21.0, a1=51, cycles=None),
    _o("SD", "SD", 11.0, prog=230, via="contact", a1=49, cycles=1, notes=["pneumonitis"]),
    # PD at the first assessment.
    _o("PD", "PD", 0.6, prog=18, a1=18, cycles=1),
    _o("PD", "PD", 3.4, dead=True, a1=58, cycles=2),
    _o("PD", "PD", 5.6, dead=True, a1=62, cycles=2),
    _o("PD", "PD", 8.1, a1=55, cycles=None),
    _o("PD", "PD", 10.2, a1=60, cycles=2, censored_at_cutoff=True),
]

# Prior PD-1/PD-L1 agent of each patient (one regimen each; agents counted per patient).
MELANOMA_AGENTS = (
    ["nivolumab"] * 14 + ["nivolumab+ipilimumab"] * 4 + ["pembrolizumab"] * 17 + ["not_recorded"] * 5
)
RCC_AGENTS = ["nivolumab"] * 8 + ["pembrolizumab"] + ["atezolizumab"] * 3 + ["not_recorded"] * 5
