"""`il2reg report`: the registry paper's analysis rendered from the published warehouse.

queries (SQL over the marts) -> data (one read pass) -> tables / figures / reproduction +
comparison (published vs reproduced) -> html (one self-contained page); build orchestrates.
"""
