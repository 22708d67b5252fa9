"""Readers: turn a report file (.txt, .docx, .pdf, .html) into extracted text, or refuse it with the reason.

A reader is a pure function of the file's bytes. It returns an :class:`Extracted`: the text analyses start
from (every ``start``/``end`` in the corpus tables is an offset into it), what the file was (format and
encoding), where each PDF page starts, the pieces the reader dropped (page headers and numbers, scripts,
navigation …; nothing is dropped silently) and a title hint (a web page's ``<title>``). Bad input raises one
of the :mod:`toolkit.errors` types with a one-line message naming the file.

>>> extracted = extract("一、2022年工作总结\\n园区新签约项目*个。".encode("gb18030"), "r.txt")
>>> extracted.encoding, extracted.text.splitlines()[0]
('gb18030', '一、2022年工作总结')
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

from .cleaning import TERMINAL
from .errors import (BinaryReportError, CorruptReportError, DecodeReportError, EmptyReportError,
                     EncryptedReportError, MissingReportError, NoTextLayerError, ReportFileError,
                     ReportTooLargeError, UnsupportedFormatError)

#: Files larger than this are refused unless the caller raises the limit (``max_bytes``, ``--max-size``).
DEFAULT_MAX_BYTES = 200 * 1024 * 1024

#: Formats the toolkit refuses, with what to do instead.
REFUSED_SUFFIXES = {
    ".doc": "legacy Word .doc is not read: open it in Word or WPS and save as .docx",
    ".wps": "WPS .wps is not read: open it in WPS and save as .docx",
    ".rtf": "RTF is not read: open it in Word or WPS and save as .docx",
}

#: What a file's first bytes say it is (to name a file saved under the wrong suffix).
MAGIC = ((b"%PDF-", "a PDF"), (b"PK\x03\x04", "a zip archive (.docx, .xlsx …)"),
         (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc, .wps, .xls)"), (b"{\\rtf", "an RTF file"))


@dataclass(frozen=True)
class Dropped:
    """A piece of the file the reader left out of the extracted text (page furniture, scripts, menus …).

    ``at`` is the extracted-text offset where it stood; ``page`` the PDF page (1-based) or None.
    """

    rule: str
    at: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Extracted:
    """What a reader got out of a report file."""

    text: str
    format: str  # "txt" | "docx" | "pdf" | "html"
    encoding: str  # the text encoding of a .txt/.html; the format name for .docx/.pdf
    page_starts: tuple[int, ...] = ()  # extracted-text offset where each PDF page starts
    dropped: tuple[Dropped, ...] = ()
    title: str | None = None  # a title hint (<title>, the Word document title); loses to headings
    notes: tuple[str, ...] = field(default=())  # things worth a warning (e.g. Big5 detected)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page of an extracted-text offset (None for formats without pages)."""
        return page_at(self.page_starts, offset)


def page_at(page_starts, offset: int) -> int | None:
    if not page_starts:
        return None
    return max(1, bisect_right(page_starts, offset))


# ------------------------------------------------------------------------------------------------------
# Reading and dispatch
# ------------------------------------------------------------------------------------------------------
def read_report_bytes(path: Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The raw bytes of a report file, after checking it exists, is a file and is not over ``max_bytes``."""
    path = Path(path)
    if not path.exists():
        raise MissingReportError(f"{path}: no such file")
    if path.is_dir():
        raise ReportFileError(f"{path}: is a folder, not a report file")
    check_size(path, max_bytes)
    return path.read_bytes()


def check_size(path: Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> None:
    size = Path(path).stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ReportTooLargeError(f"{path}: {_size(size)}, over the {_size(max_bytes)} limit; "
                                  "raise it with max_bytes= (--max-size) or split the file")


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n} bytes"


def reader_fingerprint(path: str | Path) -> str:
    """What besides the bytes decides how a file is read: its suffix and the version of the library used."""
    suffix = Path(path).suffix.lower()
    library = {".docx": "docx", ".pdf": "pdfplumber", ".html": "trafilatura", ".htm": "trafilatura"}.get(suffix)
    version = ""
    if library:
        from importlib.metadata import PackageNotFoundError, version as package_version

        try:
            version = package_version({"docx": "python-docx"}.get(library, library))
        except PackageNotFoundError:
            version = "?"
    return f"{suffix}:{library}:{version}"


def extract(data: bytes, path: str | Path) -> Extracted:
    """Read a report file's bytes by its suffix (.txt, .docx, .pdf, .html/.htm)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise UnsupportedFormatError(f"{path}: {REFUSED_SUFFIXES[suffix]}")
    reader = READERS.get(suffix, read_txt)
    if not data.strip():
        raise EmptyReportError(f"{path}: file is empty")
    return reader(data, path)


def _what_it_is(data: bytes) -> str | None:
    return next((name for magic, name in MAGIC if data.startswith(magic)), None)


# ------------------------------------------------------------------------------------------------------
# Plain text: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030/GBK or Big5, whichever reads as Chinese
# ------------------------------------------------------------------------------------------------------
def read_txt(data: bytes, path: Path) -> Extracted:
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = _what_it_is(data)
        if kind:
            raise BinaryReportError(f"{path}: binary file ({kind}), not a text report; give it the matching "
                                    "suffix (.pdf, .docx) or save it as .txt")
    text, encoding = decode_report(data, path)
    notes = (f"{path}: read as Big5 (traditional Chinese)",) if encoding.startswith("big5") else ()
    return Extracted(text, "txt", encoding, notes=notes)


def decode_report(data: bytes, path: Path | str) -> tuple[str, str]:
    """Decode report bytes: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (covers GBK/GB2312) or Big5.

    GB18030 accepts almost any byte pair, so Big5 text also "decodes" as GB18030 — into nonsense with rare
    characters. When both decode, the reading whose characters are common Chinese ones wins (see
    :func:`chinese_score`).
    """
    if not data.strip():
        raise EmptyReportError(f"{path}: file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise DecodeReportError(f"{path}: starts with a UTF-16 mark but is not UTF-16 text") from None
        if not text.strip():
            raise EmptyReportError(f"{path}: file holds only a UTF-16 mark or white space")
        return text, "utf-16"
    if b"\x00" in data:
        raise BinaryReportError(f"{path}: binary file (holds NUL bytes), not a text report; save it as .txt")
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        readings = []
        for candidate in LEGACY_ENCODINGS:
            try:
                decoded = data.decode(candidate)
            except UnicodeDecodeError:
                continue
            readings.append((chinese_score(decoded), decoded, candidate))
        if not readings:
            raise DecodeReportError(f"{path}: neither UTF-8, GB18030/GBK nor Big5 text (bad byte at "
                                    f"{utf8_error.start}); re-save it as UTF-8") from None
        _, text, encoding = max(readings, key=lambda r: r[0])  # ties keep the first: GB18030
    if not text.strip():
        raise EmptyReportError(f"{path}: file holds only white space")
    return text, encoding


#: Legacy Chinese encodings tried when a file is not UTF-8, in order of preference on a tie.
LEGACY_ENCODINGS = ("gb18030", "big5hkscs")


def _is_common_hanzi(ch: str) -> bool:
    """A character among the frequent simplified (GB2312 level 1: 3,755 characters) or traditional
    (Big5 常用字, A440–C67E: 5,401 characters) hanzi. Both tables order characters by frequency of use."""
    try:
        gb = ch.encode("gb2312")
        if len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7:
            return True
    except UnicodeEncodeError:
        pass
    try:
        big5 = ch.encode("big5")
        return len(big5) == 2 and 0xA440 <= int.from_bytes(big5, "big") <= 0xC67E
    except UnicodeEncodeError:
        return False


def chinese_score(text: str, sample: int = 20000) -> float:
    """How much a decoded text looks like Chinese: the share of its hanzi that are common, less the share
    of private-use, unassigned or control characters (what a wrong decoding produces)."""
    sample_text = text[:sample]
    hanzi = [ch for ch in sample_text if "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"]
    odd = sum(1 for ch in sample_text if unicodedata.category(ch) in ("Co", "Cn", "Cc") and ch not in "\r\n\t")
    if not hanzi:
        return -odd / max(1, len(sample_text))
    common = sum(1 for ch in hanzi if _is_common_hanzi(ch))
    return common / len(hanzi) - 2 * odd / max(1, len(sample_text))


# ------------------------------------------------------------------------------------------------------
# Word .docx: body paragraphs and tables in order, numbering recovered, text boxes and footnotes kept
# ------------------------------------------------------------------------------------------------------
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"

#: Word number formats (w:numFmt) → how a counter is written. Chinese report numbering is 一、 （一） 1. （1） ①.
CN_NUMERALS = "零一二三四五六七八九"
CIRCLED_NUMBERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (counters in report numbering stay below 100)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_NUMERALS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else CN_NUMERALS[tens]) + "十" + (CN_NUMERALS[units] if units else "")
    return str(n)


def _roman(n: int) -> str:
    numerals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


NUMBER_FORMATS = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "chineseCounting": chinese_numeral,
    "chineseCountingThousand": chinese_numeral,
    "chineseLegalSimplified": lambda n: chinese_numeral(n).translate(str.maketrans("一二三四五六七八九十",
                                                                                     "壹贰叁肆伍陆柒捌玖拾")),
    "japaneseCounting": chinese_numeral,
    "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
    "ideographZodiac": lambda n: "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12],
    "decimalEnclosedCircle": lambda n: CIRCLED_NUMBERS[n - 1] if 0 < n <= 20 else str(n),
    "decimalEnclosedCircleChinese": lambda n: CIRCLED_NUMBERS[n - 1] if 0 < n <= 20 else str(n),
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
}
#: Heading-style paragraphs with no number of their own get one in the report genre's form, by level.
HEADING_LABELS = {1: lambda n: f"{chinese_numeral(n)}、", 2: lambda n: f"（{chinese_numeral(n)}）",
                  3: lambda n: f"{n}."}
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_LITERAL_NUMBER = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.，]|[（(][一二三四五六七八九十]{1,3}[）)]|"
                             r"\d{1,2}\s*[、.．](?!\d)|[（(]\d{1,2}[）)]|[①-⑳])")


class _Numbering:
    """Word list numbering: definitions from numbering.xml and the running counters, as Word keeps them."""

    def __init__(self, root):
        self.levels: dict[tuple[str, int], dict] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, dict]] = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = self._level(lvl)
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            num_id = num.get(f"{_W}numId")
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            abstract_id = ref.get(f"{_W}val")
            self.abstract_of[num_id] = abstract_id
            for ilvl, level in abstract.get(abstract_id, {}).items():
                self.levels[(num_id, ilvl)] = dict(level)
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                start = override.find(f"{_W}startOverride")
                if start is not None and (num_id, ilvl) in self.levels:
                    self.levels[(num_id, ilvl)]["start"] = int(start.get(f"{_W}val", "1"))
                lvl = override.find(f"{_W}lvl")
                if lvl is not None:
                    self.levels[(num_id, ilvl)] = self._level(lvl)

    @staticmethod
    def _level(lvl) -> dict:
        def value(tag: str, default: str) -> str:
            node = lvl.find(f"{_W}{tag}")
            return node.get(f"{_W}val", default) if node is not None else default

        return {"start": int(value("start", "1")), "format": value("numFmt", "decimal"),
                "text": value("lvlText", "%1.")}

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the counter of (list, level) and return the number as Word shows it (``一、``, ``（二）``)."""
        if num_id in (None, "0") or (num_id, ilvl) not in self.levels:
            return ""
        key = self.abstract_of.get(num_id, num_id)  # lists sharing one definition count together
        counters = self.counters.setdefault(key, {})
        level = self.levels[(num_id, ilvl)]
        counters[ilvl] = counters.get(ilvl, level["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level["format"] in ("bullet", "none"):
            return ""

        def number(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            at_level = self.levels.get((num_id, at), {"format": "decimal", "start": 1})
            count = counters.get(at, at_level["start"])
            return NUMBER_FORMATS.get(at_level["format"], str)(count)

        return re.sub(r"%(\d)", number, level["text"])


def _docx_text(element, skip=(f"{_W}txbxContent", f"{{{MC}}}Fallback", f"{_W}del")) -> str:
    """The text of a paragraph (or any element) as Word shows it, without text boxes, deleted text or the
    fallback copy of drawing content."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in skip:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}sym":
                parts.append(chr(int(child.get(f"{_W}char", "20"), 16)) if child.get(f"{_W}char") else "")
            else:
                walk(child)

    walk(element)
    return "".join(parts)


def read_docx(data: bytes, path: Path) -> Extracted:
    """Read a Word .docx: body paragraphs and tables in order, numbering as text, text boxes and notes kept.

    A paragraph numbered by Word (a heading style or a numbered list) gets its number written in front of it
    as Word shows it (``一、``, ``（一）``, ``1.``), so the heading parser sees it as in a text file; a heading-
    style paragraph with no number at all gets one in the genre's form by its level. Tables are read row by
    row, cells separated by a tab. Text boxes follow the paragraph they are anchored to, footnotes the
    paragraph that cites them, endnotes the end. Page headers and footers are dropped and reported.
    """
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormatError(f"{path}: is a legacy Word .doc/.wps file named .docx; open it in Word or "
                                     "WPS and save as .docx")
    if not data.startswith(b"PK"):
        kind = _what_it_is(data)
        raise CorruptReportError(f"{path}: not a .docx file (it is {kind or 'not a zip archive'})")
    try:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as err:
        raise CorruptReportError(f"{path}: truncated or damaged .docx ({type(err).__name__}: "
                                 f"{str(err)[:80]}); {CorruptReportError.fix}") from None
    except Exception as err:  # lxml syntax errors and python-docx's own package errors
        raise CorruptReportError(f"{path}: damaged .docx ({type(err).__name__}: {str(err)[:80]}); "
                                 f"{CorruptReportError.fix}") from None

    part = document.part
    try:
        numbering = _Numbering(part.numbering_part.element)
    except (KeyError, NotImplementedError):
        numbering = _Numbering(None)
    notes = {}
    for rel in part.rels.values():
        if rel.reltype in (RT.FOOTNOTES, RT.ENDNOTES) and not rel.is_external:
            from lxml import etree

            root = etree.fromstring(rel.target_part.blob)
            kind = "footnote" if rel.reltype == RT.FOOTNOTES else "endnote"
            for note in root:
                if note.get(f"{_W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = " ".join(t for t in (_docx_text(p).strip() for p in note.iter(f"{_W}p")) if t)
                if text:
                    notes[(kind, note.get(f"{_W}id"))] = text

    styles = {}
    for style in document.styles:
        try:
            styles[style.style_id] = style
        except Exception:  # pragma: no cover - odd style parts
            continue

    def style_chain(style_id):
        seen = 0
        style = styles.get(style_id)
        while style is not None and seen < 10:
            yield style
            style = style.base_style
            seen += 1

    def heading_level(p_pr) -> int | None:
        style_id = None
        if p_pr is not None:
            outline = p_pr.find(f"{_W}outlineLvl")
            if outline is not None and outline.get(f"{_W}val", "9").isdigit() and int(outline.get(f"{_W}val")) < 9:
                return int(outline.get(f"{_W}val")) + 1
            node = p_pr.find(f"{_W}pStyle")
            style_id = node.get(f"{_W}val") if node is not None else None
        for style in style_chain(style_id):
            match = _HEADING_STYLE.match(style.name or "")
            if match:
                return int(match.group(1))
            if (style.name or "").lower() == "title":
                return 0
        return None

    def num_pr(p_pr):
        """(numId, ilvl) of a paragraph, its own or its style's."""
        num_id = ilvl = None
        if p_pr is not None and p_pr.find(f"{_W}numPr") is not None:
            node = p_pr.find(f"{_W}numPr")
            num_id = node.find(f"{_W}numId")
            ilvl = node.find(f"{_W}ilvl")
            num_id = num_id.get(f"{_W}val") if num_id is not None else None
            ilvl = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
            return num_id, ilvl
        style_id = None
        if p_pr is not None and p_pr.find(f"{_W}pStyle") is not None:
            style_id = p_pr.find(f"{_W}pStyle").get(f"{_W}val")
        for style in style_chain(style_id):
            node = style.element.find(f"{_W}pPr/{_W}numPr")
            if node is not None:
                num = node.find(f"{_W}numId")
                lvl = node.find(f"{_W}ilvl")
                return (num.get(f"{_W}val") if num is not None else None,
                        int(lvl.get(f"{_W}val", "0")) if lvl is not None else 0)
        return None, None

    lines: list[str] = []
    title_hint = (document.core_properties.title or "").strip() or None
    heading_counters: dict[int, int] = {}

    def paragraph_lines(p) -> None:
        nonlocal title_hint
        p_pr = p.find(f"{_W}pPr")
        text = _docx_text(p)
        num_id, ilvl = num_pr(p_pr)
        label = numbering.label(num_id, ilvl) if num_id else ""
        level = heading_level(p_pr)
        if level == 0 and text.strip():
            title_hint = title_hint or text.strip()
        elif level and text.strip():
            heading_counters[level] = heading_counters.get(level, 0) + 1
            for deeper in [k for k in heading_counters if k > level]:
                del heading_counters[deeper]
            if not label and not _LITERAL_NUMBER.match(text) and level in HEADING_LABELS:
                label = HEADING_LABELS[level](heading_counters[level])
        if text.strip() or label:
            lines.append(label + text)
        for box in p.iter(f"{_W}txbxContent"):
            if any(a.tag == f"{{{MC}}}Fallback" for a in box.iterancestors()):
                continue  # the same box again, for older readers
            for inner in box.iter(f"{_W}p"):
                inner_text = _docx_text(inner, skip=(f"{{{MC}}}Fallback", f"{_W}del"))
                if inner_text.strip():
                    lines.append(inner_text)
        for kind in ("footnote", "endnote"):
            for ref in p.iter(f"{_W}{kind}Reference"):
                note = notes.pop((kind, ref.get(f"{_W}id")), None) if kind == "footnote" else None
                if note:
                    lines.append(f"注：{note}")

    def table_lines(tbl) -> None:
        for row in tbl.findall(f"{_W}tr"):  # a nested table stays inside its cell's text
            cells = [" ".join(t for t in (_docx_text(p).strip() for p in cell.iter(f"{_W}p")) if t)
                     for cell in row.findall(f"{_W}tc")]
            if any(cells):
                lines.append("\t".join(cells))

    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            paragraph_lines(child)
        elif child.tag == f"{_W}tbl":
            table_lines(child)
        elif child.tag == f"{_W}sdt":  # content controls hold ordinary paragraphs and tables
            for inner in child.iter(f"{_W}p", f"{_W}tbl"):
                if inner.getparent().tag == f"{_W}sdtContent":
                    (paragraph_lines if inner.tag == f"{_W}p" else table_lines)(inner)
    for (kind, _), note in notes.items():
        lines.append(f"注：{note}")
    text = "\n".join(lines)
    if not text.strip():
        raise EmptyReportError(f"{path}: the Word file holds no text")

    dropped: list[Dropped] = []
    seen_furniture = set()
    for section in document.sections:
        for rule, parts in (("page_header", (section.header, section.first_page_header)),
                            ("page_footer", (section.footer, section.first_page_footer))):
            for furniture in parts:
                try:
                    if furniture.is_linked_to_previous:
                        continue
                    content = "\n".join(t for t in (_docx_text(p).strip() for p in
                                                    furniture._element.iter(f"{_W}p")) if t)
                except Exception:  # pragma: no cover - a header part python-docx cannot open
                    continue
                if content and (rule, content) not in seen_furniture:
                    seen_furniture.add((rule, content))
                    dropped.append(Dropped(rule, 0 if rule == "page_header" else len(text), content))
    return Extracted(text, "docx", "docx", dropped=tuple(dropped), title=title_hint)


# ------------------------------------------------------------------------------------------------------
# PDF with a text layer: lines in reading order, wrapped lines joined, page furniture dropped
# ------------------------------------------------------------------------------------------------------
#: A line that is only a page number: 3, - 3 -, — 3 —, 第3页, 第3页 共9页, 3/9, Page 3 of 9.
PAGE_NUMBER_LINE = re.compile(r"^[\s\-—–－·•]*(?:第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?|"
                              r"\d{1,4}(?:\s*[/／]\s*\d{1,4})?|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)[\s\-—–－·•]*$",
                              re.IGNORECASE)
_CID = re.compile(r"\(cid:\d+\)")
#: Share of the page height at the top and bottom where running headers, footers and page numbers sit.
FURNITURE_BAND = 0.1


def read_pdf(data: bytes, path: Path) -> Extracted:
    """Read a PDF's text layer: lines top to bottom, a line that runs to the right margin joined with the
    next unless that one is indented (a new paragraph), page headers/footers and page numbers dropped.

    Running headers and footers are lines in the top or bottom tenth of the page that recur (digits aside)
    on at least half the pages; page numbers are lines there that hold nothing else.
    """
    if not data.lstrip().startswith(b"%PDF-"):
        kind = _what_it_is(data.lstrip())
        raise CorruptReportError(f"{path}: not a PDF file (it is {kind or 'something else'}; no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise CorruptReportError(f"{path}: truncated PDF (no end-of-file marker); {CorruptReportError.fix}")
    import pdfplumber

    pages: list[dict] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                pages.append({"number": number, "height": float(page.height), "width": float(page.width),
                              "images": len(page.images), "lines": _page_lines(page)})
    except Exception as err:
        raise _pdf_error(err, path) from None
    if not pages:
        raise CorruptReportError(f"{path}: the PDF has no pages")
    if not any(page["lines"] for page in pages):
        raise NoTextLayerError(f"{path}: no text layer: run OCR first (the pages are images)")
    text, page_starts, dropped = _assemble_pdf(pages)
    unmapped = sum(len(m) for m in _CID.findall(text))
    if unmapped > 0.3 * max(1, len(text)):
        raise NoTextLayerError(f"{path}: no usable text layer: run OCR first (its fonts carry no character "
                               "codes, the text reads as (cid:…))")
    if not re.search(r"[\u4e00-\u9fffA-Za-z]{2}", text):
        raise NoTextLayerError(f"{path}: no text layer: run OCR first (only page numbers or stray marks)")
    return Extracted(text, "pdf", "pdf", tuple(page_starts), tuple(dropped))


def _page_lines(page) -> list[dict]:
    """A page's text lines in reading order: top to bottom; on a page whose body is set in two columns (a
    vertical gap no character crosses, with text on both sides), the left column before the right."""
    height, width = float(page.height), float(page.width)
    top, bottom = height * FURNITURE_BAND, height * (1 - FURNITURE_BAND)
    gutter = _gutter([c for c in page.chars if c["top"] >= top and c["bottom"] <= bottom and c["text"].strip()],
                     width)
    if gutter is None:
        parts = [("full", page)]
    else:
        parts = [("full", page.crop((0, 0, width, top))), ("left", page.crop((0, top, gutter, bottom))),
                 ("right", page.crop((gutter, top, width, bottom))), ("full", page.crop((0, bottom, width, height)))]
    lines = []
    for order, (column, part) in enumerate(parts):
        for line in part.extract_text_lines(layout=False, strip=False, return_chars=False):
            if line["text"].strip():
                # a paragraph indented with spaces (　　 in Chinese documents) rather than by its position
                lines.append({"text": line["text"].strip(), "x0": float(line["x0"]), "x1": float(line["x1"]),
                              "top": float(line["top"]), "bottom": float(line["bottom"]), "column": column,
                              "order": order, "spaced": line["text"][:1].isspace()})
    return lines


def _gutter(chars: list[dict], width: float) -> float | None:
    """The x of a vertical gap between two columns of body text, or None for a single column."""
    if len(chars) < 40:
        return None
    covered = bytearray(int(width) + 2)
    for ch in chars:
        covered[max(0, int(ch["x0"])) : min(len(covered), int(ch["x1"]) + 1)] = b"\x01" * (
            min(len(covered), int(ch["x1"]) + 1) - max(0, int(ch["x0"])))
    best, run_start, best_span = None, None, 0
    for x in range(int(width * 0.3), int(width * 0.7) + 1):
        if not covered[x]:
            run_start = x if run_start is None else run_start
            if x - run_start + 1 > best_span:
                best_span, best = x - run_start + 1, (run_start + x + 1) / 2
        else:
            run_start = None
    size = sorted(ch["bottom"] - ch["top"] for ch in chars)[len(chars) // 2]
    if best is None or best_span < max(6.0, 0.8 * size):
        return None
    left = [ch for ch in chars if ch["x1"] <= best]
    right = [ch for ch in chars if ch["x0"] >= best]
    rows = lambda side: len({round(ch["top"]) for ch in side})  # noqa: E731
    if min(len(left), len(right)) < 0.2 * len(chars) or min(rows(left), rows(right)) < 3:
        return None
    return best


def _pdf_error(err: Exception, path: Path) -> ReportFileError:
    chain = [err]
    while chain[-1].__cause__ is not None or chain[-1].__context__ is not None:
        chain.append(chain[-1].__cause__ or chain[-1].__context__)
        if len(chain) > 5:
            break
    names = " ".join(type(e).__name__ + " " + str(e) for e in chain)
    if re.search(r"password|encrypt", names, re.IGNORECASE):
        return EncryptedReportError(f"{path}: encrypted PDF (needs a password); {EncryptedReportError.fix}")
    return CorruptReportError(f"{path}: damaged PDF ({type(chain[-1]).__name__}: {str(chain[-1])[:80]}); "
                              f"{CorruptReportError.fix}")


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _assemble_pdf(pages: list[dict]) -> tuple[str, list[int], list[Dropped]]:
    from collections import Counter

    # 1. page furniture: lines in the top/bottom band that are page numbers or recur on half the pages
    def in_band(line, page) -> str | None:
        if line["bottom"] <= page["height"] * FURNITURE_BAND:
            return "page_header"
        if line["top"] >= page["height"] * (1 - FURNITURE_BAND):
            return "page_footer"
        return None

    recurring = Counter()
    for page in pages:
        recurring.update({_furniture_key(line["text"]) for line in page["lines"] if in_band(line, page)})
    threshold = max(2, (len(pages) + 1) // 2)
    body_pages = []
    furniture: list[tuple[int, str, str, str]] = []  # (page, rule, text, band)
    for page in pages:
        body = []
        for line in sorted(page["lines"], key=lambda l: (l["order"], round(l["top"], 1), l["x0"])):
            band = in_band(line, page)
            if band and PAGE_NUMBER_LINE.match(line["text"]):
                furniture.append((page["number"], "page_number", line["text"], band))
            elif band and recurring[_furniture_key(line["text"])] >= threshold:
                furniture.append((page["number"], band, line["text"], band))
            else:
                body.append(line)
        body_pages.append(body)

    # 2. margins (of the page, or of each column) and the type size, from all body lines
    all_lines = [line for body in body_pages for line in body]
    if not all_lines:
        return "", [0] * len(pages), [Dropped(rule, 0, text, number) for number, rule, text, _ in furniture]
    sizes = sorted(line["bottom"] - line["top"] for line in all_lines)
    size = sizes[len(sizes) // 2] or 10.0
    margins = {}
    for column in ("full", "left", "right"):
        lines_in = [line for line in all_lines if line["column"] == column] or all_lines
        rights = sorted(line["x1"] for line in lines_in)
        lefts = sorted(line["x0"] for line in lines_in)
        margins[column] = (lefts[int(0.1 * (len(lefts) - 1))], rights[int(0.9 * (len(rights) - 1))])

    # 3. lines → text: a line that runs to the right margin continues on the next unless that one is indented
    pieces: list[str] = []
    length = 0
    page_starts: list[int] = []
    dropped: list[Dropped] = []
    previous = None
    by_page = {}
    for number, rule, text, band in furniture:
        by_page.setdefault(number, []).append((rule, text, band))
    for page, body in zip(pages, body_pages):
        first_on_page = True
        for line in body:
            if previous is not None:
                left_margin, right_margin = margins[previous["column"]]
                # a line runs on when it reaches the right margin, or nearly does and stops on no
                # sentence end (a Latin word or number carried to the next line leaves a gap)
                runs_on = previous["x1"] >= right_margin - 1.5 * size or (
                    previous["x1"] - left_margin >= 0.75 * (right_margin - left_margin)
                    and previous["text"][-1:] not in TERMINAL)
                indented = line["x0"] > margins[line["column"]][0] + 1.0 * size or line["spaced"]
                if runs_on and not indented:
                    joint = " " if (previous["text"][-1:].isascii() and previous["text"][-1:].isalnum()
                                    and line["text"][:1].isascii() and line["text"][:1].isalnum()) else ""
                else:
                    joint = "\n"
                pieces.append(joint)
                length += len(joint)
            if first_on_page:
                page_starts.append(length)
                first_on_page = False
            pieces.append(line["text"])
            length += len(line["text"])
            previous = line
        if first_on_page:
            page_starts.append(length)
        for rule, text, band in by_page.get(page["number"], []):
            at = page_starts[-1] if band == "page_header" else length  # top of the page, or its end
            dropped.append(Dropped(rule, at, text, page["number"]))
    return "".join(pieces), page_starts, dropped


# ------------------------------------------------------------------------------------------------------
# Saved web pages: the main text (trafilatura); scripts, menus, share buttons, related lists dropped
# ------------------------------------------------------------------------------------------------------
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs",
                    "utf8": "utf-8"}
#: How a dropped block of a page is labelled, from its own or an ancestor's tag, id or class.
HTML_DROP_RULES = (
    ("script", re.compile(r"^(?:script|noscript)$")),
    ("style", re.compile(r"^style$")),
    ("share", re.compile(r"share|bdshare|social|fenxiang|jiathis", re.IGNORECASE)),
    ("related", re.compile(r"related|relate|xiangguan|tuijian|recommend|hot|more|list", re.IGNORECASE)),
    ("navigation", re.compile(r"^(?:nav|header|menu)$|nav|menu|breadcrumb|crumb|daohang|position|location",
                              re.IGNORECASE)),
    ("page_footer", re.compile(r"^footer$|footer|foot|copyright|bottom", re.IGNORECASE)),
)
HTML_CLUTTER_NOTE = 0.05  # warn when text left out for no named reason exceeds this share of the main text
HTML_ALIGN_LONG = 20  # a block this long found anywhere further on is the block itself
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "section", "article",
               "header", "footer", "nav", "aside", "ul", "ol", "table", "dd", "dt", "dl", "blockquote", "pre",
               "title", "body", "form", "center", "span", "a", "script", "style", "noscript", "br"}


def decode_html(data: bytes, path: Path) -> tuple[str, str]:
    """Decode a saved page: its byte-order mark, else its ``<meta charset>``, else as a text report."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_report(data, path)
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        codec = _CHARSET_ALIASES.get(name, name)
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_report(data, path)


def read_html(data: bytes, path: Path) -> Extracted:
    """Read a saved web page: trafilatura's main text; every other visible block, script and style is
    reported as dropped (rule: navigation, share, related, page_footer, script, style or page_clutter)."""
    import lxml.html
    from lxml import etree

    html, encoding = decode_html(data, path)
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BinaryReportError(f"{path}: binary file (holds NUL bytes), not a web page")
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as err:
        raise CorruptReportError(f"{path}: not a readable web page ({err}); {CorruptReportError.fix}") from None
    title_node = tree.find(".//title")
    title = (title_node.text_content().strip() or None) if title_node is not None else None

    import trafilatura

    main = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                               include_links=False, include_images=False, favor_precision=True,
                               deduplicate=False, with_metadata=False) or ""
    main = main.strip("\n")
    if not main.strip():
        raise EmptyReportError(f"{path}: no main text found in the web page")
    dropped = _html_dropped(tree, main)
    unclassified = sum(len(d.text) for d in dropped if d.rule == "page_clutter")
    notes = ()
    if unclassified > HTML_CLUTTER_NOTE * len(main):
        notes = (f"{path}: {unclassified} characters of the page were left out as not part of the main text "
                 "(rule page_clutter in corpus.boilerplate): check that none of them belongs to the report",)
    return Extracted(main, "html", encoding, dropped=tuple(dropped), title=title, notes=notes)


def _html_rule(element) -> str:
    if element.tag == "h1":  # the page's own title line, beside <title>
        return "page_title"
    for node in [element, *element.iterancestors()]:
        if not isinstance(node.tag, str):
            continue
        for rule, pattern in HTML_DROP_RULES:
            names = [node.tag] if rule in ("script", "style") else \
                [node.tag, node.get("id") or "", node.get("class") or ""]
            if any(pattern.search(name) for name in names if name):
                return rule
    return "page_clutter"


def _html_dropped(tree, main: str) -> list[Dropped]:
    """Visible text blocks of the page that are not in the main text, in page order, each placed after the
    last block that was kept."""
    squeezed_chars, squeezed_at = [], []
    for i, ch in enumerate(main):
        if not ch.isspace() and ch != "|":  # "|" separates table cells in the extractor's text
            squeezed_chars.append(ch)
            squeezed_at.append(i)
    squeezed = "".join(squeezed_chars)
    dropped: list[Dropped] = []
    cursor = 0  # position in ``squeezed`` after the last kept block
    for element, text in _html_blocks(tree):
        key = re.sub(r"[\s|]+", "", text)
        if not key:
            continue
        found = -1 if element.tag in ("script", "style", "noscript") else squeezed.find(key, cursor)
        # kept blocks follow one another in the main text; a short block found anywhere but right after the
        # last kept one (a menu item such as 工作总结 that the report also says) is a coincidence
        if found >= 0 and (found == cursor or len(key) >= HTML_ALIGN_LONG):
            cursor = max(cursor, found + len(key))
            continue
        at = squeezed_at[cursor - 1] + 1 if cursor > 0 else 0
        dropped.append(Dropped(_html_rule(element), at, text.strip()))
    return dropped


def _html_blocks(tree):
    """(element, own text) for every block of the page: the text directly inside it and inside its inline
    children, so each character of the page belongs to one block."""
    body = tree.find("body")
    head = tree.find("head")
    for root in (head, body):
        if root is None:
            continue
        for element in root.iter():
            if not isinstance(element.tag, str) or element.tag == "title":
                continue
            if element.tag in ("script", "style", "noscript"):
                text = element.text_content() if element.tag != "noscript" else element.text_content()
                yield element, text or ""
                continue
            if any(a.tag in ("script", "style", "noscript", "title") for a in element.iterancestors()):
                continue
            if element.tag not in _BLOCK_TAGS or element.tag in ("span", "a", "br"):
                # inline: its text belongs to the nearest block ancestor, except text at the top of a block
                if element.getparent() is not None and element.getparent().tag in ("body", "head"):
                    yield element, (element.text or "")
                continue
            parts = [element.text or ""]
            for child in element:
                if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS and child.tag not in ("span", "a", "br"):
                    parts.append("\n")
                elif isinstance(child.tag, str) and child.tag not in ("script", "style", "noscript"):
                    parts.append(child.text_content())
                parts.append(child.tail or "")
            yield element, "".join(parts)


READERS = {".txt": read_txt, ".text": read_txt, ".docx": read_docx, ".pdf": read_pdf, ".html": read_html,
           ".htm": read_html}
#: Suffixes a folder is searched for (refused formats are listed too, so they are named, not skipped).
REPORT_SUFFIXES = tuple(READERS) + tuple(REFUSED_SUFFIXES)
