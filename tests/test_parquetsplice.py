"""Parquet files joined from a previous file's leading row groups and groups written anew (toolkit.parquetsplice):
the result must be the file Arrow writes itself, byte for byte."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit import parquetsplice as ps


def _table(n: int) -> pa.Table:
    """Invented rows of the kinds the toolkit's tables hold: ids, Chinese text with gaps, a category (a
    dictionary of large_string), integers below zero, floats, flags."""
    themes = pa.array(["招商引资", "用地", "人才", None][i % 4] for i in range(n)).cast(pa.large_string())
    return pa.table({
        "report_id": pa.array([f"r{i // 7:04d}" for i in range(n)], pa.large_string()),
        "sentence": pa.array([None if i % 11 == 0 else f"园区第{i}句，力争增长{i % 13}%。" for i in range(n)],
                             pa.large_string()),
        "category": pa.DictionaryArray.from_arrays(pa.array([i % 3 for i in range(n)], pa.int8()),
                                                   pa.array(["用地", "用工", "资金"], pa.large_string())),
        "theme": themes,
        "start": pa.array([i * 37 - 500 for i in range(n)], pa.int64()),
        "value": pa.array([None if i % 5 == 0 else i / 3 for i in range(n)], pa.float64()),
        "masked": pa.array([i % 2 == 0 for i in range(n)]),
    }).replace_schema_metadata({"note": "invented"})


def _write(path, table: pa.Table, group_rows: list[int], **options) -> None:
    with pq.ParquetWriter(path, table.schema, **options) as writer:
        at = 0
        for rows in group_rows:
            writer.write_table(table.slice(at, rows))
            at += rows


@pytest.mark.parametrize("groups", [[40], [25, 25, 10], [3] * 17])  # 17 groups: a list of 15 or more
def test_kept_groups_and_groups_written_anew_make_the_file_arrow_writes(tmp_path, groups):
    table = _table(sum(groups))
    whole = tmp_path / "whole.parquet"
    _write(whole, table, groups)
    footer = ps.read_footer(whole)
    assert footer is not None and len(footer.groups) == len(groups)
    assert footer.starts[0] == 4 and len(footer.starts) == len(groups) + 1  # each group's bytes, then the footer's
    for kept in range(len(groups) + 1):
        later = tmp_path / f"later-{kept}.parquet"
        _write(later, table.slice(sum(groups[:kept])), groups[kept:])
        later_footer = ps.read_footer(later)
        assert ps.same_layout(footer, later_footer)
        joined = tmp_path / f"joined-{kept}.parquet"
        with open(joined, "wb", buffering=0) as target:
            ps.splice(whole, footer, kept, later, later_footer, target)
        assert joined.read_bytes() == whole.read_bytes(), kept
        assert pq.read_table(joined).equals(pq.read_table(whole))


def test_a_file_with_what_is_not_moved_here_is_never_joined(tmp_path):
    table = _table(30)
    _write(tmp_path / "indexed.parquet", table, [15, 15], write_page_index=True)
    assert ps.read_footer(tmp_path / "indexed.parquet") is None  # page indexes lie after the groups
    (tmp_path / "text.parquet").write_text("not parquet", encoding="utf-8")
    assert ps.read_footer(tmp_path / "text.parquet") is None
    truncated = tmp_path / "cut.parquet"
    _write(truncated, table, [30])
    truncated.write_bytes(truncated.read_bytes()[:-20] + truncated.read_bytes()[-8:])
    assert ps.read_footer(truncated) is None
    assert ps.read_footer(tmp_path / "missing.parquet") is None


def test_footers_of_other_layouts_are_told_apart(tmp_path):
    _write(tmp_path / "a.parquet", _table(10), [10])
    _write(tmp_path / "b.parquet", _table(10).replace_schema_metadata({"note": "other"}), [10])
    assert not ps.same_layout(ps.read_footer(tmp_path / "a.parquet"), ps.read_footer(tmp_path / "b.parquet"))


def test_thrift_structs_are_written_back_as_read():
    fields = [ps.Field(1, 5, -7), ps.Field(2, 1, True), ps.Field(3, 2, False), ps.Field(20, 6, 2**40),
              ps.Field(21, 8, "园区".encode()), ps.Field(22, 9, (5, list(range(-20, 20)))),
              ps.Field(23, 11, (8, 5, [(b"k", 1), (b"l", -1)])), ps.Field(24, 11, (0, 0, [])),
              ps.Field(25, 12, [ps.Field(1, 4, 300), ps.Field(2, 7, b"\x00" * 8)]), ps.Field(26, 9, (1, [True, False]))]
    data = ps.encode_struct(fields)
    assert ps.decode_struct(data) == fields and ps.encode_struct(ps.decode_struct(data)) == data
    with pytest.raises(ValueError):
        ps.decode_struct(data + b"\x00")
