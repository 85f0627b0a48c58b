"""A case written as an OpenDocument text (flat XML), for LibreOffice to turn into a .docx with real
footnotes, an embedded image, a body table, hyperlinks, bold and italic: what python-docx cannot write."""
from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path


def png(width: int = 4, height: int = 3) -> bytes:
    """A small red PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _row(label: str, value: str) -> str:
    return (f"<table:table-row><table:table-cell office:value-type=\"string\"><text:p>{label}</text:p></table:table-cell>"
            f"<table:table-cell office:value-type=\"string\"><text:p>{value}</text:p></table:table-cell></table:table-row>")


def write_fodt(path: Path) -> Path:
    rows = "".join(_row(a, b) for a, b in [
        ("字段", "填写内容"), ("编号", "lo-case"), ("标题", "汉阳某社区错峰停车"), ("摘要", "社区与周边单位协商错峰共享车位，缓解夜间停车难。"),
        ("城市", "武汉市"), ("区", "江汉区"), ("问题类型", "停车管理"), ("更新日期", "2026年1月5日")])
    image = base64.b64encode(png()).decode()
    body = f"""
<table:table table:name="fields"><table:table-column table:number-columns-repeated="2"/>{rows}</table:table>
<text:h text:outline-level="1">背景</text:h>
<text:p>小区车位只有<text:span text:style-name="B">几十个</text:span>，“停车难”由来已久<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>社区停车有了新办法，长江日报，2024年1月2日，https://example.org/a</text:p></text:note-body></text:note>。</text:p>
<text:h text:outline-level="1">做法</text:h>
<text:p>社区请<text:span text:style-name="I">居民代表</text:span>商量，见<text:a xlink:type="simple" xlink:href="https://example.org/b">报道</text:a>。</text:p>
<text:p><draw:frame draw:name="图1" svg:width="2cm" svg:height="1.5cm" text:anchor-type="as-char"><draw:image><office:binary-data>{image}</office:binary-data></draw:image><svg:desc>停车场</svg:desc></draw:frame></text:p>
<table:table table:name="body"><table:table-column table:number-columns-repeated="2"/>{_row("时段", "车位")}{_row("夜间", "30")}</table:table>
<text:h text:outline-level="1">成效</text:h>
<text:p>夜间停车难缓解。</text:p>
<text:h text:outline-level="1">启示</text:h>
<text:p>共享需要规则。</text:p>
"""
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic" style:font-style-asian="italic"/></style:style>
</office:automatic-styles>
<office:body><office:text>{body}</office:text></office:body></office:document>
""", encoding="utf-8")
    return path
