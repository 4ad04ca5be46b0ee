"""A self-contained HTML after-action report: inline CSS, charts embedded as base64 PNG.

No external URL of any kind (no fonts, scripts, stylesheets or images fetched), so the file
opens offline and can be mailed as one attachment.
"""

from __future__ import annotations

import base64
from html import escape

from ui.reports.content import ReportContent
from ui.reports.sections import appendix_rows, headings, ratings_rows

CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;color:#222;line-height:1.5}h1{border-bottom:3px solid #b22222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 8px;
font-size:14px;vertical-align:top}th{background:#f0f0f0}img{max-width:100%}
.P{background:#c8e6c9}.S{background:#fff9c4}.M{background:#ffe0b2}.U{background:#ffcdd2}
figure{margin:1.5em 0}figcaption{color:#555;font-size:13px}"""


def render_html(c: ReportContent) -> str:
    """The whole report as one HTML string."""
    h = headings(c.lang)
    e = escape
    out = [f"<!DOCTYPE html><html lang='{'zh-CN' if c.lang == 'zh' else 'en'}'><head>"
           f"<meta charset='utf-8'><title>{e(h['title'])}</title><style>{CSS}</style></head>"
           f"<body><h1>{e(h['title'])}</h1>", f"<h2>1. {e(h['overview'])}</h2><table>"]
    out += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in c.overview]
    out.append(f"<tr><th>{e(h['sealed'])}</th><td>{e(c.sealed[1])}</td></tr></table>")
    out.append(f"<h2>2. {e(h['capabilities'])}</h2><table><tr>" +
               "".join(f"<th>{e(x)}</th>" for x in h["ratings_cols"]) + "</tr>")
    for row in ratings_rows(c):
        out.append("<tr>" + "".join(f"<td class='{e(row[2])}'>{e(x)}</td>" if i == 2 else
                                    f"<td>{e(x)}</td>" for i, x in enumerate(row)) + "</tr>")
    out.append("</table>")
    for key, findings in (("strengths", c.card.findings.strengths),
                          ("improvements", c.card.findings.improvements)):
        n = "3" if key == "strengths" else "4"
        out.append(f"<h2>{n}. {e(h[key])}</h2><ul>")
        for f in findings:
            text = f.text_zh if c.lang == "zh" else f.text_en
            ev = "; ".join(c.event_line(s) for s in f.evidence[:5])
            small = f"<br><small>{e(h['evidence'])}: {e(ev)}</small>" if ev else ""
            out.append(f"<li>{e(text)}{small}</li>")
        if not findings:
            out.append(f"<li>{e(h['none'])}</li>")
        out.append("</ul>")
    out.append(f"<h2>5. {e(h['plan'])}</h2><table><tr>" +
               "".join(f"<th>{e(x)}</th>" for x in h["plan_cols"]) + "</tr>")
    for r in c.plan:
        out.append("<tr>" + "".join(f"<td>{e(x)}</td>" for x in
                                    (r.capability, r.issue, r.action, r.responsible, r.due))
                   + "</tr>")
    out.append(f"</table><h2>6. {e(h['charts'])}</h2>")
    for fid, cap, png in c.figures:
        b64 = base64.b64encode(png).decode("ascii")
        out.append(f"<figure id='{e(fid)}'><img alt='{e(cap)}' src='data:image/png;base64,"
                   f"{b64}'><figcaption>{e(cap)}</figcaption></figure>")
    out.append(f"<h2>{e(h['appendix'])}</h2><table><tr>" +
               "".join(f"<th>{e(x)}</th>" for x in h["appendix_cols"]) + "</tr>")
    out += ["<tr>" + "".join(f"<td>{e(x)}</td>" for x in row) + "</tr>"
            for row in appendix_rows(c)]
    out.append("</table></body></html>")
    return "\n".join(out)
