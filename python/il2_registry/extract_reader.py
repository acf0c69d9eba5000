"""Reading extract files as the warehouse reads them: header, record count, SHA-256, and a
look at the first bytes (encoding, delimiter) to name what is wrong when DuckDB cannot read a
file. The DuckDB options are those of the dbt sources (models/staging/_registry__sources.yml).
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

SHA_CHUNK_BYTES = 1 << 20
HEAD_BYTES = 1 << 16
CANDIDATE_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass(frozen=True)
class FileFacts:
    """What the file itself says: its header columns and its number of data rows (records)."""

    columns: tuple[str, ...]
    rows: int


@dataclass(frozen=True)
class FileHead:
    """What the first bytes say: the encoding it looks like and the delimiter of its header."""

    encoding: str  # "utf-8", or the encoding it looks like
    header_line: str
    delimiter: str  # "," or the delimiter the header line looks like


def sha256_of(path: Path, chunk_bytes: int = SHA_CHUNK_BYTES) -> str:
    """SHA-256 of a file, streamed in chunks so that a 1 GB file does not sit in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            digest.update(chunk)
    return digest.hexdigest()


def glob_escape(text: str) -> str:
    """`text` matched literally by a glob pattern (Python's glob and DuckDB's file globbing):
    `[`, `*` and `?` become one-character classes."""
    return "".join(f"[{c}]" if c in "[*?" else c for c in text)


# DuckDB's parallel CSV scanner refuses null_padding beside a quoted newline with this error
# (it never reads such a file differently: it stops).
PARALLEL_REFUSAL = "does not support null_padding in conjunction with quoted new lines"

# Whether each file may be read by the parallel scanner, by (path, size, mtime): measured once
# per process (the extract check measures it; the build's staging macros ask again).
_PARALLEL_SAFE: dict[tuple[str, int, int], bool] = {}


def csv_read_expression(path: Path, parallel: bool | None = None) -> str:
    """The DuckDB reader used everywhere for extract files (same options as the dbt sources);
    the path is an escaped literal (quotes doubled, glob characters matched literally).

    The sources need `null_padding` (a short record is padded and rejected as malformed_row),
    which DuckDB's parallel scanner supports only in files without a quoted newline. So a file
    is read in parallel when it has none (parallel_read_is_safe; `parallel=None` asks it) and
    single-threaded otherwise: the same records, rows and numbers either way
    (tests/test_ingest_reader.py), about twice as fast on two cores (docs/performance.md)."""
    if parallel is None:
        parallel = parallel_read_is_safe(path)
    literal = glob_escape(str(path)).replace("'", "''")
    return (
        f"read_csv('{literal}', all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"', "
        "strict_mode = false, null_padding = true, nullstr = '<il2:padded>', "
        f"parallel = {str(parallel).lower()})"
    )


def _parallel_key(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path.absolute()), stat.st_size, stat.st_mtime_ns)


def _parallel_row_count(
    con: duckdb.DuckDBPyConnection, path: Path, key: tuple[str, int, int] | None
) -> int | None:
    """The file's row count by the parallel scanner, or None when it refuses the file (or fails
    in any other way: the single-threaded reader then reads it, or names what is wrong). The
    verdict is cached under `key` (path, size and modification time; None: not cached)."""
    try:
        (rows,) = con.execute("select count(*) from " + csv_read_expression(path, parallel=True)).fetchone()
    except duckdb.Error:
        if key is not None:
            _PARALLEL_SAFE[key] = False
        return None
    if key is not None:
        _PARALLEL_SAFE[key] = True
    return int(rows)


def parallel_read_is_safe(path: Path) -> bool:
    """True when DuckDB's parallel scanner reads the whole file with the sources' options (no
    quoted newline); false when it refuses, or on any other error (the single-threaded reader
    then reads it, or names what is wrong). One parallel count of the file, cached by path,
    size and modification time (the extract check's row count is that count)."""
    key = _parallel_key(path)
    if key is None:
        return False
    if key not in _PARALLEL_SAFE:
        with duckdb.connect() as con:
            _parallel_row_count(con, path, key)
    return _PARALLEL_SAFE[key]


def read_file_facts(path: Path) -> FileFacts:
    """Header and data-row count as DuckDB reads them (quoted newlines are not rows). The count
    is the parallel scanner's when it takes the file (the same rows as the single-threaded
    reader: tests/test_ingest_reader.py), which also settles parallel_read_is_safe, so each file
    is counted once."""
    serial = csv_read_expression(path, parallel=False)
    with duckdb.connect() as con:
        header = con.execute("select column_name from (describe select * from " + serial + ")").fetchall()
        key = _parallel_key(path)
        known_unsafe = key is not None and _PARALLEL_SAFE.get(key) is False
        rows = None if known_unsafe else _parallel_row_count(con, path, key)
        if rows is None:
            (rows,) = con.execute("select count(*) from " + serial).fetchone()
    return FileFacts(columns=tuple(name for (name,) in header), rows=int(rows))


def guess_encoding(data: bytes) -> str:
    """'utf-8' when the bytes decode as UTF-8 (a cut multi-byte character at the end is fine),
    else the encoding they look like."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Bytes 0x80-0x9f are control characters in Latin-1 but letters and quotes in Windows-1252.
    return "windows-1252" if any(0x80 <= byte <= 0x9F for byte in data) else "latin-1"


def header_delimiter(header_line: str) -> str:
    """',' when the header is comma-separated, else the delimiter it looks like."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in CANDIDATE_DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] > header_line.count(",") else ","


def first_ragged_record(path: Path, width: int) -> tuple[int, int] | None:
    """(record number from 1, header excluded; its number of fields) of the first record whose
    field count differs from the header's `width`, read as the contract reads CSV (quoted
    commas and newlines), or None."""
    import csv

    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for number, record in enumerate(reader, start=1):
            if len(record) != width and record:
                return number, len(record)
    return None


def first_non_utf8(path: Path, chunk_bytes: int = SHA_CHUNK_BYTES) -> tuple[int, str] | None:
    """(line number from 1, encoding the bytes look like) of the first byte sequence that is not
    UTF-8 anywhere in the file (streamed), or None when the whole file is UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, newlines = 0, 0
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_bytes):
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as error:
                bad = max(error.start, 0)
                line = newlines + chunk[:bad].count(b"\n") + 1
                return line, guess_encoding(chunk[bad : bad + 4096]) if bad < len(chunk) else "latin-1"
            newlines += chunk.count(b"\n")
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return newlines + 1, "latin-1"
    return None


def read_head(path: Path, head_bytes: int = HEAD_BYTES) -> FileHead:
    with path.open("rb") as handle:
        data = handle.read(head_bytes)
    encoding = guess_encoding(data)
    text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding, errors="replace")
    header_line = text.splitlines()[0] if text else ""
    return FileHead(encoding=encoding, header_line=header_line, delimiter=header_delimiter(header_line))
