"""One report, five files: .txt, UTF-16 .txt, .docx, .pdf and .html read back to the same headings and sentences.

The .docx, .pdf and .html are written by :mod:`toolkit.samples` from a seed report in a temporary folder.
"""

from __future__ import annotations

import difflib
import warnings
from pathlib import Path

import pytest

import toolkit as tk
from toolkit import samples
from toolkit.readers import extract

from .conftest import REPORTS

SEEDS = ("2021-devzone", "2021-edz-term", "2022-ecopark", "2022h1-hitech", "2023-wangchun-industrial")
FORMATS = ("utf16.txt", "docx", "pdf", "html")


def seed_path(name: str = "2021-devzone") -> Path:
    """Where a seed report is read from (one line to repoint to a frozen copy)."""
    return REPORTS / f"{name}.txt"


def seed_text(name: str = "2021-devzone") -> str:
    return seed_path(name).read_text(encoding="utf-8-sig")


def write_as(text: str, folder: Path, stem: str, fmt: str) -> Path:
    """Write a report's text in one of the formats users bring."""
    if fmt == "utf16.txt":
        path = folder / f"{stem}.txt"
        path.write_bytes(text.encode("utf-16"))
        return path
    path = folder / f"{stem}.{fmt}"
    {"docx": lambda: samples.write_docx(text, path, title="开发区工作总结", header="某开发区管理委员会"),
     "pdf": lambda: samples.write_pdf(text, path, header="某开发区管理委员会文件"),
     "html": lambda: samples.write_html(text, path, title="开发区工作总结")}[fmt]()
    return path


def parse_quietly(path: Path) -> tk.Report:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tk.parse_report(path)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """seed → format → parsed report (written once per module)."""
    folder = tmp_path_factory.mktemp("formats")
    out = {}
    for name in SEEDS:
        text = seed_text(name)
        out[name] = {"txt": parse_quietly(seed_path(name))}
        for fmt in FORMATS:
            sub = folder / fmt.replace(".", "-")
            sub.mkdir(exist_ok=True)
            out[name][fmt] = parse_quietly(write_as(text, sub, name, fmt))
    return out


def headings(report: tk.Report) -> list[tuple]:
    return [(s.level, s.number, s.title, s.role, s.year) for s in report.sections[1:]]


def sentence_agreement(a: tk.Report, b: tk.Report) -> float:
    """Share of sentences (by text, in order) the two readings have in common."""
    left, right = [s[4] for s in a.sentences], [s[4] for s in b.sentences]
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same / max(len(left), len(right))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", SEEDS)
def test_every_format_of_a_seed_yields_the_same_headings(versions, name, fmt):
    assert headings(versions[name][fmt]) == headings(versions[name]["txt"])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", SEEDS)
def test_every_format_of_a_seed_yields_the_same_sentences_and_metadata(versions, name, fmt):
    assert sentence_agreement(versions[name][fmt], versions[name]["txt"]) >= 0.99
    assert versions[name][fmt].metadata == versions[name]["txt"].metadata


def test_pdf_sentences_keep_their_page_and_page_furniture_is_reported(tmp_path):
    path = write_as(seed_text(), tmp_path, "r", "pdf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = tk.load_corpus(path)
    sentences = corpus.sentences
    pages = sentences["page"].tolist()
    assert pages[0] == 1 and pages == sorted(pages) and max(pages) == corpus.reports.loc[0, "n_pages"] >= 2
    report = corpus["r"]
    for row in sentences.itertuples():  # the page a sentence is on holds its first characters
        page_start = report.page_starts[row.page - 1]
        assert page_start <= row.start
    boilerplate = corpus.boilerplate
    numbers = boilerplate[boilerplate["rule"] == "page_number"]
    assert numbers["text"].tolist() == [f"- {n} -" for n in range(1, max(pages) + 1)]
    assert (boilerplate["rule"] == "page_header").sum() == max(pages)
    starts = list(report.page_starts) + [len(report.original)]
    for row in numbers.itertuples():  # a page number at the foot of page k stands where page k ends
        k = int(row.text.strip("- "))
        assert starts[k - 1] < row.start <= starts[k]
    assert not sentences["text"].str.contains("管理委员会文件|- \\d+ -").any()


def test_pdf_text_and_dropped_pieces_hold_every_character_on_the_pages(tmp_path):
    import pdfplumber

    path = write_as(seed_text(), tmp_path, "r", "pdf")
    extracted = extract(path.read_bytes(), path)
    with pdfplumber.open(path) as pdf:
        on_pages = sorted(ch["text"] for page in pdf.pages for ch in page.chars if not ch["text"].isspace())
    read = sorted(ch for ch in extracted.text + "".join(d.text for d in extracted.dropped) if not ch.isspace())
    assert read == on_pages


def test_pdf_line_wraps_are_joined_and_paragraphs_kept(tmp_path):
    text = "一、总体情况\n" + "园区坚持招商引资与项目建设并重，" * 12 + "成效明显。\n二、下步打算\n确保完成全年目标。\n"
    path = samples.write_pdf(text, tmp_path / "r.pdf")  # one page: no running header to tell from a title
    extracted = extract(path.read_bytes(), path)
    assert extracted.text.splitlines() == [line for line in text.splitlines() if line]


def test_docx_reads_word_numbering_tables_text_boxes_footnotes_and_drops_the_header(tmp_path):
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    path = write_as("一、2022年工作总结\n（一）招商引资\n1.签约项目*个。\n2.开工项目*个。\n二、2023年工作思路\n力争产值*亿元。",
                    tmp_path, "r", "docx")
    document = docx.Document(path)
    body = document.add_paragraph("园区面临的主要问题：", style="Heading 1")  # a heading with no number
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "指标", (0, 1): "完成值", (1, 0): "工业总产值", (1, 1): "*亿元"}.items():
        table.cell(r, c).text = value
    box = document.add_paragraph("用地紧张。")
    box.add_run()._r.append(parse_xml(
        f'<w:pict {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><v:textbox><w:txbxContent>'
        '<w:p><w:r><w:t>专栏：园区获评省级示范。</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'))
    box.add_run()._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="1"/>'))
    notes = (f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
             '</w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>数据来源：园区统计。</w:t></w:r></w:p>'
             '</w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(path)
    extracted = extract(path.read_bytes(), path)
    assert extracted.text.splitlines() == [
        "一、2022年工作总结", "（一）招商引资", "1.签约项目*个。", "2.开工项目*个。", "二、2023年工作思路", "力争产值*亿元。",
        "三、园区面临的主要问题：", "指标\t完成值", "工业总产值\t*亿元", "用地紧张。", "专栏：园区获评省级示范。",
        "注：数据来源：园区统计。"]
    assert [(d.rule, d.text) for d in extracted.dropped] == [("page_header", "某开发区管理委员会")]
    assert extracted.title == "开发区工作总结"
    report = parse_quietly(path)
    assert [(s.level, s.number) for s in report.sections[1:4]] == [(1, "一"), (2, "一"), (3, "1")]
    # nothing lost: every character in the Word file's text runs is in the text or in a dropped piece; the
    # reader only adds numbers, the 注： before a note and the tabs between cells
    import zipfile
    from collections import Counter

    from lxml import etree

    runs = Counter()
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                for node in etree.fromstring(package.read(name)).iter("{*}t"):
                    runs.update(ch for ch in node.text or "" if not ch.isspace())
    read = Counter(ch for ch in extracted.text + "".join(d.text for d in extracted.dropped) if not ch.isspace())
    assert not runs - read
    assert set(read - runs) <= set("一二三（）、.12注：")


def test_html_keeps_the_main_text_reports_what_it_dropped_and_keeps_the_title_as_a_hint(tmp_path):
    text = seed_text()
    path = write_as(text, tmp_path, "r", "html")
    extracted = extract(path.read_bytes(), path)
    rules = {d.rule for d in extracted.dropped}
    assert {"script", "style", "navigation", "share", "related", "page_footer"} <= rules
    dropped_text = " ".join(d.text for d in extracted.dropped)
    for clutter in ("首页", "分享到", "相关文章", "京ICP备00000000号", "_hmt", "工作计划"):
        assert clutter in dropped_text and clutter not in extracted.text
    assert extracted.title == "开发区工作总结-范文网"
    report = parse_quietly(path)
    assert report.title_hint == "开发区工作总结-范文网"


def test_text_a_web_page_leaves_out_for_no_named_reason_is_warned_about(tmp_path):
    path = samples.write_html("一、工作总结\n园区招商引资成效明显，全年签约项目*个。\n", tmp_path / "r.html")
    page = path.read_text(encoding="utf-8").replace(
        '<div class="share">', '<div class="box"><p>' + "园区用地紧张问题仍然突出，招工难问题有待破解。" * 3 + '</p></div><div class="share">')
    path.write_text(page, encoding="utf-8")
    extracted = extract(path.read_bytes(), path)
    assert "首页" not in extracted.text and "相关文章" not in extracted.text  # a short page too: main text only
    if any(d.rule == "page_clutter" and "用地紧张" in d.text for d in extracted.dropped):
        assert extracted.notes and "left out" in extracted.notes[0]
    else:  # the extractor kept the paragraph as main text: nothing to warn about
        assert "用地紧张" in extracted.text and not extracted.notes


def test_a_web_title_fills_only_what_the_headings_leave_open(tmp_path):
    body = "一、工作总结\n园区招商引资成效明显。\n二、工作思路\n确保完成目标。\n"
    path = tmp_path / "r.html"
    samples.write_html(body, path, title="2021年度某高新区工作总结")
    report = parse_quietly(path)
    assert report.metadata["report_year"] == 2021 and report.metadata["plan_year"] == 2022
    samples.write_html("一、2023年工作总结\n园区招商引资成效明显。\n", path, title="2021年度某高新区工作总结")
    assert parse_quietly(path).metadata["report_year"] == 2023  # the heading wins


def test_the_same_report_as_txt_and_pdf_is_loaded_once_with_a_warning_naming_both(tmp_path):
    text = seed_text()
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    write_as(text, tmp_path, "b", "pdf")
    (tmp_path / "c.txt").write_text(text.replace("开发区坚持", "开发区始终坚持"), encoding="utf-8")  # only similar
    with pytest.warns(tk.ReportWarning) as caught:
        corpus = tk.load_corpus(tmp_path)
    assert corpus.report_ids == ["a", "c"]
    duplicate = [str(w.message) for w in caught if "same text" in str(w.message)]
    assert len(duplicate) == 1 and "b.pdf" in duplicate[0] and "a.txt" in duplicate[0]


@pytest.mark.parametrize("fmt", ("txt",) + FORMATS)
def test_cleaned_text_and_removed_pieces_account_for_every_character_extracted(versions, fmt):
    from toolkit.cleaning import _DELETE_RE

    for name in SEEDS:
        report = versions[name][fmt]
        clean, covered = report.clean, bytearray(len(report.original))
        for a, b in zip(clean.starts, clean.ends):
            covered[a:b] = b"\x01" * (b - a)
        for piece in list(clean.removals) + list(clean.masks):
            covered[piece.start : piece.end] = b"\x01" * (piece.end - piece.start)
        lost = {report.original[i] for i, seen in enumerate(covered) if not seen}
        assert all(ch.isspace() or _DELETE_RE.fullmatch(ch) for ch in lost), (name, lost)


def test_a_pdf_set_in_two_columns_is_read_column_by_column(tmp_path):
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from toolkit.plotting import setup_fonts

    properties = FontProperties(fname=str(setup_fonts()), size=11)
    left = ["一、工作总结", "园区坚持招商引资与项目建设并重，全年签约项目*个，完成投资*亿元，同比增长*%，成效明显。"]
    right = ["二、工作思路", "力争新开工项目*个以上，确保完成全年固定资产投资目标，加快推进重点项目建设。"]
    figure = Figure(figsize=(8.27, 11.69))
    for x0, paragraphs in ((60, left), (320, right)):
        row = 0
        for paragraph in paragraphs:
            chunks, first = [], 18 if len(paragraph) > 10 else 20  # 20 characters a line, first line indented
            chunks.append(paragraph[:first])
            chunks += [paragraph[i : i + 20] for i in range(first, len(paragraph), 20)]
            for i, chunk in enumerate(chunks):
                x = x0 + (22 if i == 0 else 0)
                figure.text(x / 595, 1 - (120 + 18 * row) / 842, chunk, fontproperties=properties, parse_math=False)
                row += 1
    path = tmp_path / "two.pdf"
    with matplotlib.rc_context({"pdf.fonttype": 3}), PdfPages(path) as pdf:
        pdf.savefig(figure)
    assert extract(path.read_bytes(), path).text.splitlines() == left + right


def test_html_main_text_and_dropped_pieces_hold_every_character_of_the_page(tmp_path):
    from collections import Counter

    import lxml.html

    path = write_as(seed_text(), tmp_path, "r", "html")
    extracted = extract(path.read_bytes(), path)
    tree = lxml.html.fromstring(path.read_bytes())
    for title in tree.iter("title"):
        title.getparent().remove(title)  # kept apart, as the title hint
    on_page = Counter(ch for ch in tree.text_content() if not ch.isspace())
    read = Counter(ch for ch in extracted.text + "".join(d.text for d in extracted.dropped) if not ch.isspace())
    assert read == on_page


def test_pdf_paragraphs_indented_with_full_width_spaces_are_kept_apart(tmp_path):
    text = seed_text()
    path = samples.write_pdf(text, tmp_path / "r.pdf", header="某开发区管理委员会文件", indent_with_spaces=True)
    squeeze = lambda line: "".join(line.split())  # noqa: E731 - a space at a line wrap is not in the PDF
    assert [squeeze(line) for line in extract(path.read_bytes(), path).text.splitlines()] == [
        squeeze(line) for line in text.splitlines() if line.strip()]
