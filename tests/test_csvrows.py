"""CSV rows rendered in Arrow's kernels are byte for byte the rows pandas writes for the same table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.csvrows import _float_text, record_ends, render_rows

TEXT = st.text(alphabet=st.sampled_from(list('a中 ,"\n\r\t\'“”、') + ["Ⓧ"]), max_size=6)


def _pandas(table: pa.Table) -> bytes:
    return table.to_pandas().to_csv(index=False, header=False).encode("utf-8")


@st.composite
def tables(draw):
    n = draw(st.integers(0, 12))
    column = lambda strategy: draw(st.lists(strategy, min_size=n, max_size=n))  # noqa: E731
    frame = pd.DataFrame({
        "text": column(st.none() | TEXT),
        "count": pd.array(column(st.none() | st.integers(-10**15, 10**15)), dtype="Int64"),
        "flag": column(st.booleans()),
        "maybe": pd.array(column(st.none() | st.booleans()), dtype="boolean"),
        "value": column(st.none() | st.floats(allow_nan=True, allow_infinity=True)),
        "kind": pd.Categorical(column(st.none() | st.sampled_from(["a", "b,c", 'd"e']))),
        "empty": [None] * n})
    return pa.Table.from_pandas(frame, preserve_index=False)


@settings(max_examples=200, deadline=None)
@given(tables())
def test_rows_are_the_bytes_pandas_writes_and_their_ends_the_record_ends(table):
    expected = _pandas(table)
    body, ends = render_rows(table)
    assert body == expected
    assert list(ends) == list(record_ends(expected))


def test_floats_are_written_as_numpy_writes_them_at_every_magnitude():
    rng = np.random.default_rng(0)
    values = np.concatenate([rng.uniform(-1, 1, 20_000) * 10.0 ** rng.integers(-12, 20, 20_000),
                             np.round(rng.uniform(-1e6, 1e6, 2_000)), np.round(rng.uniform(0, 1e3, 2_000), 2),
                             [0.0, -0.0, np.nan, np.inf, -np.inf, 1e-4, 1e10, 9999999999.0, 9999999999.5, 1e-5,
                              5e-324, 1.7976931348623157e308, 100000000.0, 0.1]])
    expected = values.astype(str).astype(object)
    expected[np.isnan(values)] = ""
    assert _float_text(values).to_pylist() == expected.tolist()


def test_a_column_of_another_type_or_a_single_column_is_rendered_by_pandas():
    dated = pa.table({"day": pa.array([np.datetime64("2024-01-02T00:00:00")], pa.timestamp("s")), "n": [1]})
    assert render_rows(dated)[0] == _pandas(dated)
    single = pa.table({"share": pa.array([0.1, None], pa.float32()), "n": [1, 2]})  # numpy's float32 repr
    assert render_rows(single)[0] == _pandas(single) == b"0.1,1\n,2\n"
    lone = pa.table({"text": ["", "a"]})  # a lone empty field is quoted
    assert render_rows(lone)[0] == _pandas(lone) == b'""\na\n'


def test_quoted_line_breaks_are_inside_a_record():
    assert list(record_ends(b'x,"a\n""b""\n"\ny\n')) == [13, 15]
