"""Reads for the preview page: where in the source each finding came from.

The parser keeps no positions; a finding is traced back to the first of the
document's logical paragraphs (as the parser sees them, with page furniture
and broken lines already repaired) that contains its words.
"""

from .parser.paragraphs import normalise

# Enough of a paragraph to recognise it beside the finding.
EXCERPT_CHARS = 160


def source_paragraphs(text):
    return normalise(text)


def locate(paragraphs, *needles):
    """{"line": n, "text": excerpt} of the first paragraph holding a needle, or None."""
    for needle in needles:
        needle = (needle or "").strip()
        if len(needle) < 2:
            continue
        for number, para in enumerate(paragraphs, start=1):
            if needle in para:
                start = max(0, para.index(needle) - 20)
                excerpt = para[start:start + EXCERPT_CHARS]
                return {"line": number, "text": ("…" if start else "") + excerpt + ("…" if len(para) > start + EXCERPT_CHARS else "")}
    return None


def preview_findings(*, proposal, text):
    """The proposal's findings, each with its source paragraph."""
    paragraphs = source_paragraphs(text)
    tasks = []

    def visit(items, depth):
        for task in items:
            tasks.append({"task": task, "depth": depth, "source": locate(paragraphs, task["title"], task["title"][:12])})
            visit(task["children"], depth + 1)

    visit(proposal.get("tasks", []), 0)
    return {
        "paragraphs": paragraphs,
        "header_source": locate(paragraphs, proposal.get("document_number"), proposal.get("title")),
        "phase_sources": [locate(paragraphs, p["name"]) for p in proposal.get("phases", [])],
        "tasks": tasks,
        "rule_sources": [locate(paragraphs, r["text"], r["text"][:12]) for r in proposal.get("reporting_rules", [])],
        "targets": [
            {"target": t, "source": locate(paragraphs, t["name"])} for t in proposal.get("targets", [])
        ],
        "group": [
            {"member": m, "source": locate(paragraphs, m["name"])} for m in proposal.get("leading_group", [])
        ],
    }
