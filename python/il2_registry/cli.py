"""`il2reg`: the project's command line. Each command lives in the module that owns its job."""

from __future__ import annotations

import typer

from il2_registry.commands import extract, fingerprint, generate, km, locks, report, sql

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
app.add_typer(extract.app, name="extract")
app.command("fingerprint")(fingerprint.fingerprint)
app.command("diff")(locks.diff)
app.command("generate")(generate.generate)
app.command("km")(km.km)
app.command("locks")(locks.locks)
app.command("report")(report.report)
# Arguments il2reg does not know go to the DuckDB CLI as written (-csv, -c "SQL", -f file ...).
app.command("sql", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(sql.sql)

if __name__ == "__main__":  # pragma: no cover
    app()
