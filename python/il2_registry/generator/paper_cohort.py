"""The paper profile: 1179 patients whose records reproduce the published figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from il2_registry.generator import profiles
from il2_registry.generator.api import sample_groups
from il2_registry.generator.sites import site_ids, site_weights
from il2_registry.generator.tables import ClinicalTables


def assign_patient_ids(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sites drawn by enrolment weight; numbers 0001, 0002, ... within each site."""
    weights = np.asarray(site_weights())
    site = np.asarray(site_ids())[rng.choice(len(weights), size=n, p=weights / weights.sum())]
    number = pd.Series(site).groupby(site).cumcount().to_numpy() + 1
    pid = np.char.add(np.char.add(site.astype(str), "-"), np.char.zfill(number.astype(str), 4))
    return pid, site


def paper_tables(seed: int, cutoff_day: int) -> ClinicalTables:
    rng = np.random.default_rng(seed)
    disease = np.concatenate(
        [
            np.repeat(
                ["MELANOMA", "RCC"], [profiles.PAPER_PRIOR_ICB["MELANOMA"], profiles.PAPER_PRIOR_ICB["RCC"]]
            ),
            np.repeat(
                ["MELANOMA", "RCC"], [profiles.PAPER_IL2_ALONE["MELANOMA"], profiles.PAPER_IL2_ALONE["RCC"]]
            ),
        ]
    )
    n_icb = sum(profiles.PAPER_PRIOR_ICB.values())
    cohort = np.where(np.arange(len(disease)) < n_icb, "prior_icb", "il2_alone")
    order = rng.permutation(len(disease))
    disease, cohort = disease[order], cohort[order]
    pid, site = assign_patient_ids(rng, len(disease))
    return sample_groups(rng, pid, site, disease, cohort, cutoff_day)
