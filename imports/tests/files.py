"""Plan files built in the tests: .docx from text with python-docx, and small
PDFs written by hand (a text layer in a Type0 font with a ToUnicode map, so
that pypdf extracts Chinese; or no text layer, as a scan has)."""

import io
from pathlib import Path

PLANS = Path(__file__).parent / "plans"
SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "guancheng-2016-civilised-enforcement-plan.txt"
SAMPLE_COPY = PLANS / "guancheng-2016-sample.txt"


def sample_text():
    return (SAMPLE if SAMPLE.exists() else SAMPLE_COPY).read_text(encoding="utf-8")


def docx_bytes(text, table=None):
    """A .docx with one paragraph per line of `text`, and `table` (rows of cells) after them."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(objects):
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _stream(data):
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf_bytes(lines):
    """A one-page PDF whose text layer holds `lines` (any Unicode BMP text)."""
    chars = sorted({ch for line in lines for ch in line})
    cid = {ch: i + 1 for i, ch in enumerate(chars)}
    content = b"BT /F1 10 Tf 12 TL 20 800 Td\n"
    for line in lines:
        content += b"<" + "".join(f"{cid[ch]:04X}" for ch in line).encode() + b"> Tj T*\n"
    content += b"ET"
    cmap_lines = "\n".join(f"<{cid[ch]:04X}> <{ord(ch):04X}>" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{cmap_lines}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        _stream(cmap),
    ])


def scanned_pdf_bytes():
    """A page with a picture's place and no text, as a scanner makes."""
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"0.5 g 20 20 555 802 re f"),
    ])


def confirm_post_data(*, text, office_unit, year=None, units=None):
    """What the preview page's form posts when the user changes nothing but
    the office unit; `units` overrides chosen matches ({name: pk or "new"})."""
    from imports.forms import NEW_UNIT, dump_payload, walk_tasks
    from imports.matching import match_units, unit_names
    from imports.reading import propose

    proposal = propose(text, year=year).to_dict()
    data = {
        "payload": dump_payload(text=text, proposal=proposal, filename="", year=year),
        "title": proposal["title"] or "",
        "document_number": proposal["document_number"] or "",
        "issued_on": proposal["issued_on"] or "",
        "office_unit": office_unit.pk,
        **{f"contact_{key}": value or "" for key, value in proposal["contact"].items()},
        **{key: proposal[key] or "" for key in ("addressees", "guiding_principle", "goals", "requirements")},
        # The preview fills the campaign's dates in only when there are no phases to take them from.
        **{key: "" if proposal["phases"] else proposal[key] or "" for key in ("starts_on", "ends_on")},
    }
    # The lists' formsets: each row as the preview fills it in, and a blank 新增 row.
    lists = {
        "phase": proposal["phases"], "rule": proposal["reporting_rules"],
        "target": proposal["targets"], "member": proposal["leading_group"],
    }
    for prefix, items in lists.items():
        data.update({
            f"{prefix}-TOTAL_FORMS": len(items) + 1, f"{prefix}-INITIAL_FORMS": len(items),
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 200,
        })
        data.update({f"{prefix}_{n}_order": n + 1 for n in range(len(items))})
    for i, phase in enumerate(proposal["phases"]):
        data.update({
            f"phase_{i}_name": phase["name"],
            f"phase_{i}_goal": phase["goal"] or "",
            f"phase_{i}_description": phase["description"] or "",
            f"phase_{i}_start": phase["start"] or "",
            f"phase_{i}_end": phase["end"] or "",
        })
    for n, target in enumerate(proposal["targets"]):
        data.update({
            f"target_{n}_name": target["name"], f"target_{n}_comparison": target["comparison"],
            f"target_{n}_value": target["value"], f"target_{n}_unit": target["unit"] or "",
        })
    for n, member in enumerate(proposal["leading_group"]):
        data.update({f"member_{n}_position": member["position"], f"member_{n}_name": member["name"]})
    for t, (task, _) in enumerate(walk_tasks(proposal["tasks"])):
        data.update({
            f"task_{t}_title": task["title"],
            f"task_{t}_lead_units": "、".join(task["lead_units"]),
            f"task_{t}_co_units": "、".join(task["co_units"]),
        })
    # The blank 新增 rows post their defaults.
    count = len(proposal["reporting_rules"])
    data.update({f"rule_{count}_cadence": "weekly", f"rule_{count}_month_offset": "0", f"rule_{count}_time": "17:30", f"target_{len(proposal['targets'])}_comparison": "gte"})
    names = unit_names(proposal["tasks"])
    matches = match_units(names)
    for j, name in enumerate(names):
        chosen = (units or {}).get(name, matches[name].unit_id or NEW_UNIT)
        data[f"unit_{j}"] = chosen
    for k, rule in enumerate(proposal["reporting_rules"]):
        data.update({
            f"rule_{k}_cadence": rule["cadence"],
            f"rule_{k}_weekday": rule["weekday"] or "",
            f"rule_{k}_day": rule["day_of_month"] or "" if rule["cadence"] != "once" else "",
            f"rule_{k}_month_offset": rule.get("month_offset") or 0,
            f"rule_{k}_due_on": rule.get("due_on") or "",
            f"rule_{k}_days_after": rule.get("days_after") or 0,
            f"rule_{k}_time": rule["time"] or "17:30",
            f"rule_{k}_text": rule["text"],
        })
    return data
