"""CSV rows of an Arrow table, rendered column by column in Arrow's compute kernels.

The bytes are those pandas writes for the same table (``table.to_pandas().to_csv(index=False, header=False)``:
the csv module's minimal quoting, ``\\n`` line ends, an empty field for a missing value, True/False for flags,
``repr`` of a float) — so a table rendered here and one rendered by pandas can stand in one file — in a third
of pandas' time or less. An integer column with missing values is written as integers, as pandas writes the
nullable ``Int64`` column that a table's pandas metadata gives back (without that metadata pandas would make
it float: ``2023.0``). A column of a type not handled here renders the whole table through pandas.
"""

from __future__ import annotations

import numpy as np

#: A field holding one of these is quoted (the csv module's minimal quoting, with ``\\n`` line ends).
NEEDS_QUOTES = (",", '"', "\n")
#: The same as one pattern (one scan of the text instead of three).
NEEDS_QUOTES_PATTERN = "[" + "".join(NEEDS_QUOTES) + "]"


def render_rows(table) -> tuple[bytes, np.ndarray]:
    """The UTF-8 CSV rows of ``table`` (no header) and the byte offset just after each row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return b"", np.zeros(0, dtype=np.int64)
    columns = [_field_text(table.column(i)) for i in range(table.num_columns)]
    if len(columns) < 2 or any(column is None for column in columns):  # (a lone empty field is quoted)
        return _through_pandas(table)
    line = pc.binary_join_element_wise(*columns, _text(""), _text(","))
    lines = pa.chunked_array(line.chunks if isinstance(line, pa.ChunkedArray) else [line]).combine_chunks()
    lines = lines.cast(pa.large_string())
    _, offsets, data = lines.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int64)[lines.offset:lines.offset + len(lines) + 1]
    # each line ends with the joiner's separator before the empty last field: ",", replaced by a line break
    out = np.frombuffer(data, dtype=np.uint8)[offsets[0]:offsets[-1]].copy()
    ends = offsets[1:] - offsets[0]
    out[ends - 1] = 10
    return out.tobytes(), ends


def _field_text(column):
    """The column as CSV fields (large_string, no nulls), or None for a type rendered only by pandas."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.cast(kind.value_type), kind.value_type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        text = column.cast(pa.large_string())
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        needs = _needs_quotes(text).fill_null(False)
        if pc.any(needs).as_py():  # only the fields that need it are quoted (few are)
            some = pc.filter(text, needs)
            quoted = pc.binary_join_element_wise(_text('"'), pc.replace_substring(some, '"', '""'), _text('"'),
                                                 _text(""))
            text = pc.replace_with_mask(text, needs, quoted)
        return text.fill_null("")
    if pa.types.is_integer(kind):
        return column.cast(pa.large_string()).fill_null("")
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "True", "False").cast(pa.large_string()).fill_null("")
    if pa.types.is_float64(kind):
        return _float_text(column.to_numpy())
    if pa.types.is_null(kind):
        return pa.array([""] * len(column), type=pa.large_string())
    return None


def _needs_quotes(text):
    import pyarrow.compute as pc

    return pc.match_substring_regex(text, NEEDS_QUOTES_PATTERN)


def _text(value: str):
    import pyarrow as pa

    return pa.scalar(value, pa.large_string())


#: Arrow writes a float as numpy does (its shortest repr) in this range of magnitudes, but for the ".0" of a
#: whole number; outside it Arrow turns to exponents sooner, and numpy renders those few.
FAST_FLOATS = (1e-4, 1e10)


def _float_text(values: np.ndarray):
    """Floats as pandas writes them to CSV (numpy's ``astype(str)``: 12.0, 0.1, 1e+16, inf; NaN empty)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    with np.errstate(invalid="ignore"):
        size = np.abs(values)
        fast = (size < FAST_FLOATS[1]) & ((size >= FAST_FLOATS[0]) | (values == 0))
        whole = fast & (values == np.floor(values))
    text = pc.cast(pa.array(values), pa.large_string())
    if whole.any():
        text = pc.if_else(pa.array(whole), pc.binary_join_element_wise(text, _text(".0"), _text("")), text)
    slow = ~fast & ~np.isnan(values)
    if slow.any():
        text = pc.replace_with_mask(text, pa.array(slow), pa.array(values[slow].astype(str), pa.large_string()))
    missing = np.isnan(values)
    if missing.any():
        text = pc.if_else(pa.array(missing), _text(""), text)
    return text


def _through_pandas(table) -> tuple[bytes, np.ndarray]:
    body = table.to_pandas().to_csv(index=False, header=False).encode("utf-8")
    return body, record_ends(body)


def record_ends(body: bytes) -> np.ndarray:
    """Byte offsets just after each CSV record of ``body``: after each line break outside quotes (a quoted
    field may hold line breaks; a quote inside one is doubled, so an even count of quotes before a line
    break puts it outside)."""
    data = np.frombuffer(body, dtype=np.uint8)
    breaks = np.flatnonzero(data == 10)
    quotes = np.flatnonzero(data == 34)
    if len(quotes):  # the count of quotes before each line break (positions only: memory as the rows, not the bytes)
        breaks = breaks[np.searchsorted(quotes, breaks) % 2 == 0]
    return breaks + 1
