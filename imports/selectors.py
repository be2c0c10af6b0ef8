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


def locate(paragraphs, *needles, along=()):
    """{"line": n, "text": excerpt} of the first paragraph holding a needle
    (and every word `along` it), or None."""
    for needle in needles:
        needle = (needle or "").strip()
        if len(needle) < 2:
            continue
        for number, para in enumerate(paragraphs, start=1):
            if needle in para and all(word in para for word in along):
                start = max(0, para.index(needle) - 20)
                excerpt = para[start:start + EXCERPT_CHARS]
                return {"line": number, "text": ("…" if start else "") + excerpt + ("…" if len(para) > start + EXCERPT_CHARS else "")}
    return None


def _figure(value):
    """A target value as a plan prints it: 95, not 95.0."""
    try:
        return str(int(value)) if float(value).is_integer() else str(value)
    except (TypeError, ValueError):
        return ""


def with_sources(proposal, text):
    """The proposal with each phase, task, rule, target and group member's
    source paragraph (`source`), found once when the plan is read so that it
    stays beside the item while the clerk edits it. Items the clerk adds
    later have no `source` key: the page shows nothing for them."""
    if proposal.get("sourced"):
        return proposal
    paragraphs = source_paragraphs(text)

    def visit(tasks):
        for task in tasks:
            task.setdefault("source", locate(paragraphs, task["title"], task["title"][:12]))
            visit(task.get("children", []))

    visit(proposal.get("tasks", []))
    for phase in proposal.get("phases", []):
        phase.setdefault("source", locate(paragraphs, phase["name"]))
    for rule in proposal.get("reporting_rules", []):
        rule.setdefault("source", locate(paragraphs, rule.get("text"), (rule.get("text") or "")[:12]))
    # A name alone may first appear elsewhere (the signer, a goal's prose): a
    # member's paragraph also names the position, a target's its figure.
    for target in proposal.get("targets", []):
        target.setdefault("source", locate(paragraphs, target["name"], along=[_figure(target.get("value"))]))
    for member in proposal.get("leading_group", []):
        member.setdefault("source", locate(paragraphs, member["name"], along=[member["position"]]))
    proposal["sourced"] = True
    return proposal


def preview_findings(*, proposal, text):
    """The document's paragraphs, and where the header was found."""
    paragraphs = source_paragraphs(text)
    return {
        "paragraphs": paragraphs,
        "header_source": locate(paragraphs, proposal.get("document_number"), proposal.get("title")),
    }
