"""A self-contained HTML after-action report: inline CSS, charts embedded as base64 PNG.

No external URL of any kind (no fonts, scripts, stylesheets or images fetched), so the file
opens offline and can be mailed as one attachment. It lays out the blocks of
:func:`ui.reports.sections.build_document`, the same ones the Word report holds; printed, it
fills A4 pages.
"""

from __future__ import annotations

import base64
from html import escape

from ui.reports.content import ReportContent
from ui.reports.document import Bullets, Figure, Heading, Para, Table
from ui.reports.sections import build_document, title

CSS = """@page{size:A4;margin:2cm}
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;
max-width:17cm;margin:2em auto;color:#222;line-height:1.5;font-size:14px}
h1{border-bottom:3px solid #b22222;font-size:24px}h2{font-size:19px;margin-top:1.6em}
h3{font-size:15px;margin-bottom:.3em}
table{border-collapse:collapse;margin:.6em 0;width:100%}td,th{border:1px solid #bbb;
padding:3px 6px;font-size:12px;vertical-align:top}th{background:#f0f0f0;text-align:left}
img{max-width:100%}p.small,li small{font-size:11px;color:#555}
.P{background:#c8e6c9}.S{background:#fff9c4}.M{background:#ffe0b2}.U{background:#ffcdd2}
figure{margin:1em 0;break-inside:avoid}figcaption{color:#555;font-size:12px}
@media print{img{max-height:24.4cm}}"""


def render_html(c: ReportContent) -> str:
    """The whole report as one HTML string."""
    e = escape
    head = title(c)
    out = [f"<!DOCTYPE html><html lang='{'zh-CN' if c.lang == 'zh' else 'en'}'><head>"
           f"<meta charset='utf-8'><title>{e(head)}</title><style>{CSS}</style></head>"
           f"<body><h1>{e(head)}</h1>"]
    for b in build_document(c):
        if isinstance(b, Heading):
            tag = f"h{b.level + 1}"
            out.append(f"<{tag} id='{e(b.key)}'>{e(b.text)}</{tag}>" if b.key else
                       f"<{tag}>{e(b.text)}</{tag}>")
        elif isinstance(b, Para):
            text = f"<b>{e(b.text)}</b>" if b.bold else e(b.text)
            out.append(f"<p class='small'>{text}</p>" if b.small else f"<p>{text}</p>")
        elif isinstance(b, Bullets):
            out.append("<ul>" + "".join(
                f"<li>{e(t)}" + (f"<br><small>{e(n)}</small>" if n else "") + "</li>"
                for t, n in b.items) + "</ul>")
        elif isinstance(b, Table):
            cols = "".join(f"<col style='width:{w / sum(b.widths_cm) * 100:.1f}%'>"
                           for w in b.widths_cm)
            rows = ["<tr>" + "".join(f"<th>{e(h)}</th>" for h in b.header) + "</tr>"]
            for i, row in enumerate(b.rows):
                cls = b.cls[i] if i < len(b.cls) else ""
                rows.append("<tr>" + "".join(
                    f"<td class='{e(cls)}'>{e(x)}</td>" if j == b.cls_col and cls else
                    f"<td>{e(x)}</td>" for j, x in enumerate(row)) + "</tr>")
            key = f" data-key='{e(b.key)}'" if b.key else ""
            out.append(f"<table{key}><colgroup>{cols}</colgroup>" + "".join(rows) + "</table>")
        elif isinstance(b, Figure):
            b64 = base64.b64encode(b.png).decode("ascii")
            out.append(f"<figure id='{e(b.fid)}'><img alt='{e(b.caption)}' "
                       f"src='data:image/png;base64,{b64}'><figcaption>{e(b.caption)}"
                       "</figcaption></figure>")
    out.append("</body></html>")
    return "\n".join(out)
