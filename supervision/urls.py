from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    # The office and leaders.
    path("", views.index, name="index"),
    path("campaigns/<int:campaign_id>/ledger/", views.ledger, name="ledger"),
    path("campaigns/<int:campaign_id>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("campaigns/<int:campaign_id>/inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("inspections/files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("items/<int:pk>/decide/", views.item_decide, name="item_decide"),
    # Both sides: an item, and the unit's evidence.
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    # The unit's side.
    path("my/", views.unit_items, name="unit_items"),
    path("items/<int:pk>/start/", views.item_start, name="item_start"),
    path("items/<int:pk>/answer/", views.item_answer, name="item_answer"),
]
