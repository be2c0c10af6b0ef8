"""Reads for the dashboards, aggregated in the database.

Every function here runs a fixed number of queries whatever the number of
units, periods and tasks: figures come from `values().annotate()` and
subqueries, and the matrix from one query over the window's reports that is
arranged in Python. Rates are `reports.rates`, never recomputed here.

One module per concept, each importing only the ones listed before it:
`filters` (what the dashboard is narrowed to), `matrix` (units × periods),
`overdue` (the overdue list), `figures` (the cached aggregates: rates, task,
phase and indicator figures), `campaign` (the campaign dashboard) and `today`
(the office's 今日工作). Pages import from the package.
"""

from .campaign import CampaignDashboard, campaign_dashboard, trend_chart_data
from .figures import (
    RECENT_PERIODS,
    SENT,
    Figures,
    IndicatorTotal,
    PhaseProgress,
    campaign_figures,
    default_figures,
    progress_key,
    indicator_figures,
    indicator_totals,
    indicator_window,
    latest_task_progress,
    phase_progress,
    recent_periods,
)
from .filters import (
    UNIT_LIST_LIMIT,
    UNIT_MATCHES_SHOWN,
    WHOLE_CAMPAIGN,
    Filters,
    campaign_rules,
    default_filters,
    filtered_periods,
    find_units,
    scope_units,
)
from .matrix import Matrix, status_matrix
from .overdue import LIST_LIMIT, overdue_reports, overdue_tasks
from .today import DueGroup, today_work

__all__ = [
    "LIST_LIMIT",
    "RECENT_PERIODS",
    "SENT",
    "WHOLE_CAMPAIGN",
    "CampaignDashboard",
    "DueGroup",
    "Figures",
    "Filters",
    "IndicatorTotal",
    "Matrix",
    "PhaseProgress",
    "campaign_dashboard",
    "campaign_figures",
    "campaign_rules",
    "default_figures",
    "default_filters",
    "progress_key",
    "filtered_periods",
    "indicator_figures",
    "indicator_totals",
    "indicator_window",
    "latest_task_progress",
    "overdue_reports",
    "overdue_tasks",
    "phase_progress",
    "recent_periods",
    "scope_units",
    "find_units",
    "UNIT_LIST_LIMIT",
    "UNIT_MATCHES_SHOWN",
    "status_matrix",
    "today_work",
    "trend_chart_data",
]
