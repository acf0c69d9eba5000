"""Writes extract files chunk by chunk (header once, rows appended) with pyarrow's CSV writer.

One file (`BOM_CRLF_FILE`) is written the way some sites' exports come: a UTF-8 byte-order
mark and CRLF line endings. Everything else is plain UTF-8 with LF.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from il2_registry.generator.tables import FILE_COLUMNS

BOM_CRLF_FILE = "follow_up.csv"
_WRITE_OPTIONS = pacsv.WriteOptions(include_header=False, quoting_style="needed")


def as_text_table(table: pa.Table) -> pa.Table:
    """Every column as text, so that messy rows can hold any value."""
    return pa.table({name: pc.cast(table[name], pa.string()) for name in table.column_names})


def render(name: str, table: pa.Table) -> tuple[bytes, int]:
    """A file's rows as CSV bytes (no header), in the file's line-ending style."""
    table = as_text_table(table.select(FILE_COLUMNS[name]))
    if table.num_rows == 0:
        return b"", 0
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, write_options=_WRITE_OPTIONS)
    data = buffer.getvalue()
    if name == BOM_CRLF_FILE:
        data = data.replace(b"\n", b"\r\n")
    return data, table.num_rows


class ExtractWriter:
    """Open files for one extract; `append` writes a chunk's rows and counts them."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        self.rows: dict[str, int] = {}
        self._handles = {}
        for name, columns in FILE_COLUMNS.items():
            handle = open(out_dir / name, "wb")  # noqa: SIM115 - closed in close()
            header = ",".join(columns) + "\n"
            if name == BOM_CRLF_FILE:
                handle.write(b"\xef\xbb\xbf" + header.replace("\n", "\r\n").encode())
            else:
                handle.write(header.encode())
            self._handles[name] = handle
            self.rows[name] = 0

    def append(self, name: str, table: pa.Table) -> None:
        data, rows = render(name, table)
        self.write(name, data, rows)

    def write(self, name: str, data: bytes, rows: int) -> None:
        """Append already rendered rows (see `render`)."""
        self._handles[name].write(data)
        self.rows[name] += rows

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
