"""The paper profile's 1122 IL-2-alone patients (placeholder: uncalibrated sampler)."""

from __future__ import annotations

import numpy as np

from il2_registry.generator import profiles
from il2_registry.generator.sampler import expand_records, sample_timeline
from il2_registry.generator.tables import ClinicalTables


def calibrated_il2_alone(
    rng: np.random.Generator, patient_ids: np.ndarray, site_ids: np.ndarray, cutoff_day: int
) -> ClinicalTables:
    n_mm = profiles.PAPER_IL2_ALONE["MELANOMA"]
    disease = np.where(np.arange(len(patient_ids)) < n_mm, "MELANOMA", "RCC")
    disease = disease[rng.permutation(len(disease))]
    parts = []
    for dis in ("MELANOMA", "RCC"):
        sel = disease == dis
        params = profiles.GROUPS[(dis, "il2_alone")]
        tl = sample_timeline(rng, int(sel.sum()), params)
        cohort = np.full(int(sel.sum()), "il2_alone")
        parts.append(
            expand_records(rng, patient_ids[sel], site_ids[sel], disease[sel], cohort, tl, cutoff_day)
        )
    return ClinicalTables.concat(parts)
