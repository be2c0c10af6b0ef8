"""Parse a campaign plan document (实施方案 / 行动方案) into a proposal.

Pure functions only: no database, no files. The management command
``import_plan`` reads the file and hands the text to :func:`parse_plan`.

One module per concept. At the bottom, knowing nothing of each other:
``text`` (page furniture, layout spaces), ``numbering`` (一、（一）1、 and the
outline they make), ``units`` and ``dates``. Above them ``metadata`` (title,
document number, issue date, contact) and ``phases``; then ``paragraphs``
(broken lines re-joined: it must recognise the lines those modules describe),
``tasks``, ``rules``, ``targets`` and ``leading_group``; ``sections`` (主送单位,
指导思想, 工作目标, 工作要求, each phase's 主要工作) and ``span`` (the campaign's
dates from its phases, or from its title). ``plan`` runs them all.
"""

from .dates import DateContext, find_date_range
from .leading_group import GroupMember
from .metadata import extract_contact, find_document_number
from .numbering import detect_numbering
from .paragraphs import normalise
from .phases import Phase
from .plan import PlanProposal, parse_plan
from .rules import ReportingRule, extract_reporting_rules
from .targets import Target, extract_targets
from .tasks import Task
from .units import parse_unit_spec

# What callers imported from the single module this package replaced.
__all__ = [
    "DateContext",
    "GroupMember",
    "Phase",
    "PlanProposal",
    "ReportingRule",
    "Target",
    "Task",
    "detect_numbering",
    "extract_contact",
    "extract_reporting_rules",
    "extract_targets",
    "find_date_range",
    "find_document_number",
    "normalise",
    "parse_plan",
    "parse_unit_spec",
]
