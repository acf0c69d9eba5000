"""The registry's sites: 44 US centres, academic and community, and their export quirks."""

from __future__ import annotations

import pandas as pd

# (name, type, state); site ids are S001..S044 in this order.
_SITES: list[tuple[str, str, str]] = [
    ("Providence Cancer Institute", "COMMUNITY", "OR"),
    ("University of Iowa Hospitals", "ACADEMIC", "IA"),
    ("Earle A. Chiles Research Institute", "COMMUNITY", "OR"),
    ("Duke Cancer Center", "ACADEMIC", "NC"),
    ("Beth Israel Deaconess Medical Center", "ACADEMIC", "MA"),
    ("Rush University Medical Center", "ACADEMIC", "IL"),
    ("UC Davis Comprehensive Cancer Center", "ACADEMIC", "CA"),
    ("Swedish Cancer Institute", "COMMUNITY", "WA"),
    ("Virginia Mason Medical Center", "COMMUNITY", "WA"),
    ("University of Colorado Cancer Center", "ACADEMIC", "CO"),
    ("Cleveland Clinic Taussig Cancer Institute", "ACADEMIC", "OH"),
    ("Ochsner Cancer Institute", "COMMUNITY", "LA"),
    ("Hackensack University Medical Center", "COMMUNITY", "NJ"),
    ("Indiana University Simon Cancer Center", "ACADEMIC", "IN"),
    ("Mayo Clinic Arizona", "ACADEMIC", "AZ"),
    ("Karmanos Cancer Institute", "ACADEMIC", "MI"),
    ("Baptist Health Louisville", "COMMUNITY", "KY"),
    ("University of Utah Huntsman", "ACADEMIC", "UT"),
    ("Sanford Health Sioux Falls", "COMMUNITY", "SD"),
    ("Moffitt Cancer Center", "ACADEMIC", "FL"),
    ("Atlantic Health,\nMorristown Medical Center", "COMMUNITY", "NJ"),
    ("Vanderbilt-Ingram Cancer Center", "ACADEMIC", "TN"),
    ("University of Texas Southwestern", "ACADEMIC", "TX"),
    ("Texas Oncology Baylor", "COMMUNITY", "TX"),
    ("Fox Chase Cancer Center", "ACADEMIC", "PA"),
    ("Geisinger Medical Center", "COMMUNITY", "PA"),
    ("University of Chicago Medicine", "ACADEMIC", "IL"),
    ("Loyola University Medical Center", "ACADEMIC", "IL"),
    ("Saint Luke's Cancer Institute", "COMMUNITY", "MO"),
    ("Washington University Siteman", "ACADEMIC", "MO"),
    ("University of Kansas Cancer Center", "ACADEMIC", "KS"),
    ("Nebraska Methodist Hospital", "COMMUNITY", "NE"),
    ("Tulane Cancer Center", "ACADEMIC", "LA"),
    ("Emory Winship Cancer Institute", "ACADEMIC", "GA"),
    ("Northside Hospital Atlanta", "COMMUNITY", "GA"),
    ('Mercy Medical Center ("Mercy")', "COMMUNITY", "MD"),
    ("Johns Hopkins Sidney Kimmel", "ACADEMIC", "MD"),
    ("Roswell Park Cancer Institute", "ACADEMIC", "NY"),
    ("University of Rochester Wilmot", "ACADEMIC", "NY"),
    ("Hartford HealthCare Cancer Institute", "COMMUNITY", "CT"),
    ("Maine Medical Center", "COMMUNITY", "ME"),
    ("University of New Mexico Cancer Center", "ACADEMIC", "NM"),
    ("Billings Clinic", "COMMUNITY", "MT"),
    ("Intermountain Medical Center", "COMMUNITY", "UT"),
]

# Sites whose EDC export writes dates US style (MM/DD/YYYY) in every date column.
US_DATE_SITES = frozenset({"S004", "S013", "S024", "S036"})


def site_ids() -> list[str]:
    return [f"S{i:03d}" for i in range(1, len(_SITES) + 1)]


def sites_frame() -> pd.DataFrame:
    """sites.csv content, one row per site."""
    return pd.DataFrame(
        {
            "site_id": site_ids(),
            "site_name": [s[0] for s in _SITES],
            "site_type": [s[1] for s in _SITES],
            "state": [s[2] for s in _SITES],
        }
    )


def scale_sites_frame(n_sites: int) -> pd.DataFrame:
    """The 44 registry sites plus, for very large synthetic extracts, numbered extra sites.

    Patient ids carry 4 digits per site, so a site holds at most 9,999 patients.
    """
    base = sites_frame()
    extra = n_sites - len(base)
    if extra <= 0:
        return base
    ids = [f"S{i:03d}" for i in range(len(base) + 1, n_sites + 1)]
    states = base["state"].to_numpy()
    more = pd.DataFrame(
        {
            "site_id": ids,
            "site_name": [f"Synthetic Oncology Center {i}" for i in ids],
            "site_type": ["COMMUNITY" if k % 3 else "ACADEMIC" for k in range(extra)],
            "state": [states[k % len(states)] for k in range(extra)],
        }
    )
    return pd.concat([base, more], ignore_index=True)


def site_weights() -> list[float]:
    """Relative enrolment: academic centres enrol about three times as many patients."""
    return [3.0 if kind == "ACADEMIC" else 1.0 for _, kind, _ in _SITES]
