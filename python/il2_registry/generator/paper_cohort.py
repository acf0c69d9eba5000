"""The paper profile: 1179 patients whose records reproduce the published figures.

57 prior-ICB patients are designed one by one (`prior_icb_design.py`, `prior_icb_records.py`);
the 1122 IL-2-alone patients are drawn by the vectorised sampler with group scales tuned so
that their Kaplan-Meier medians are the published ones (`calibration.calibrate_group`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from il2_registry.generator import profiles
from il2_registry.generator.prior_icb_records import build_prior_icb
from il2_registry.generator.sites import site_ids, site_weights
from il2_registry.generator.tables import ClinicalTables


def assign_patient_ids(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sites drawn by enrolment weight; numbers 0001, 0002, ... within each site."""
    weights = np.asarray(site_weights())
    site = np.asarray(site_ids())[rng.choice(len(weights), size=n, p=weights / weights.sum())]
    number = pd.Series(site).groupby(site).cumcount().to_numpy() + 1
    pid = np.char.add(np.char.add(site.astype(str), "-"), np.char.zfill(number.astype(str), 4))
    return pid, site


def sort_tables(t: ClinicalTables) -> ClinicalTables:
    """Rows in patient-id order (as an EDC export lists them), each patient's rows kept in order."""
    out = {}
    for name in t.__dataclass_fields__:
        frame = getattr(t, name)
        out[name] = frame.sort_values("patient_id", kind="stable").reset_index(drop=True)
    return ClinicalTables(**out)


def paper_tables(seed: int, cutoff_day: int, observe_day: int | None = None) -> ClinicalTables:
    """The 1179 patients as of the paper's cut-off, or their IL-2-alone records observed up to a
    later `observe_day` (the designed prior-ICB records are extended in `generator/locks.py`)."""
    from il2_registry.generator.il2_alone import calibrated_il2_alone

    rng = np.random.default_rng(seed)
    n_icb = sum(profiles.PAPER_PRIOR_ICB.values())
    pid, site = assign_patient_ids(rng, profiles.PAPER_TOTAL)
    icb_slots = np.sort(rng.choice(len(pid), size=n_icb, replace=False))
    icb_slots = rng.permutation(icb_slots)
    rest = np.setdiff1d(np.arange(len(pid)), icb_slots)
    icb = build_prior_icb(np.random.default_rng([seed, 1]), pid[icb_slots], site[icb_slots], cutoff_day)
    alone = calibrated_il2_alone(
        np.random.default_rng([seed, 2]), pid[rest], site[rest], cutoff_day, observe_day
    )
    return sort_tables(ClinicalTables.concat([icb, alone]))
