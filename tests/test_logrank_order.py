"""The log-rank mart does not depend on the order rows arrive in: the dbt model feeds it a
`group by` result, whose order DuckDB does not fix, and two builds of the paper extract gave
marts.logrank chi-squares differing in the 16th digit (0.15290022333792422 / ...522), caught
by test_refresh's build-twice check. The statistic is a float sum over the rows, so the rows
are put in one order before it is computed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from il2_registry.survival.tables import logrank_tests


def counted_survival(seed: int) -> pd.DataFrame:
    # Counted rows as the model passes them: per disease, cohort, endpoint, day and event flag.
    rng = np.random.default_rng(seed)
    rows = []
    for disease in ("mM", "mRCC"):
        for cohort in ("prior_icb", "il2_alone"):
            for endpoint in ("OS", "PFS", "DOR"):
                for day in rng.choice(np.arange(1, 4000), size=300, replace=False):
                    for event in (0, 1):
                        rows.append((disease, cohort, endpoint, int(day), event, int(rng.integers(1, 9))))
    return pd.DataFrame(rows, columns=["disease", "cohort", "endpoint", "time_days", "event", "n_patients"])


def test_the_same_rows_in_any_order_give_bit_identical_tests() -> None:
    survival = counted_survival(7)
    first = logrank_tests(survival)
    for seed in range(5):
        shuffled = survival.sample(frac=1.0, random_state=seed).reset_index(drop=True)
        again = logrank_tests(shuffled)
        # exact equality, not approximate: the mart's fingerprint must not move
        assert first["chi_square"].tolist() == again["chi_square"].tolist()
        assert first["p_value"].tolist() == again["p_value"].tolist()
