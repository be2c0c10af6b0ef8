from django.urls import path

from .views import deadlines, office, unit, workbooks

app_name = "reports"

urlpatterns = [
    # The unit's side: liaisons and unit heads.
    path("my/", unit.unit_home, name="unit_home"),
    path("reports/<int:pk>/", unit.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", unit.report_edit, name="report_edit"),
    path("attachments/<int:pk>/", unit.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", unit.attachment_remove, name="attachment_remove"),
    path("reports/<int:pk>/extension/", unit.extension_request, name="extension_request"),
    path("reports/<int:pk>/sign-off/", unit.sign_off, name="sign_off"),
    path("reports/<int:pk>/withdraw/", unit.withdraw, name="withdraw"),
    path("reports/<int:pk>/versions/<int:number>/", unit.version_detail, name="version_detail"),
    # The office's side.
    path("review/", office.review_queue, name="review_queue"),
    path("reports/<int:pk>/review/", office.review, name="review"),
    path("reports/<int:pk>/undo-review/", office.undo_review, name="undo_review"),
    path("review/batches/<uuid:batch>/", office.review_batch, name="review_batch"),
    path("review/batches/<uuid:batch>/undo/", office.undo_batch, name="undo_batch"),
    path("reports/<int:pk>/exempt/", office.exempt, name="exempt"),
    path("reports/<int:pk>/reopen/", office.reopen, name="reopen"),
    path("extensions/<int:pk>/decide/", office.extension_decide, name="extension_decide"),
    path("campaigns/<int:campaign_id>/workbooks/", workbooks.workbooks, name="workbooks"),
    path("workbooks/<int:pk>/status/", workbooks.workbook_status, name="workbook_status"),
    path("workbooks/<int:pk>/download/", workbooks.workbook_download, name="workbook_download"),
    path("workbooks/<int:pk>/retry/", workbooks.workbook_retry, name="workbook_retry"),
    # 任务督办: task deadlines and 办结.
    path("campaigns/<int:campaign_id>/deadlines/", deadlines.task_list, name="deadline_list"),
    path("deadlines/<int:pk>/", deadlines.task_detail, name="deadline_task"),
    path("deadlines/<int:pk>/declare/", deadlines.task_declare, name="deadline_declare"),
    path("deadlines/<int:pk>/decide/", deadlines.task_decide, name="deadline_decide"),
    path("deadlines/evidence/<int:pk>/", deadlines.evidence_download, name="deadline_evidence"),
]
