from django.urls import path

from . import edit_views, material_views, mock_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:campaign_id>/", views.system, name="system"),
    path("<int:campaign_id>/import/", views.system_import, name="system_import"),
    path("<int:campaign_id>/import/confirm/", views.system_confirm, name="system_confirm"),
    path("<int:campaign_id>/assignment/", edit_views.assignment, name="assignment"),
    path("<int:campaign_id>/assignment/assign/", edit_views.assign, name="assign"),
    path("<int:campaign_id>/assignment/units/", edit_views.unit_summary, name="unit_summary"),
    path("<int:campaign_id>/edit/", edit_views.edit, name="edit"),
    path("<int:campaign_id>/edit/copy/", edit_views.copy, name="copy"),
    path("standards/<int:pk>/", edit_views.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/delete/", edit_views.standard_delete, name="standard_delete"),
    path("contents/<int:pk>/add/", edit_views.standard_add, name="standard_add"),
    path("contents/<int:pk>/rename/", edit_views.content_rename, name="content_rename"),
    path("items/<int:pk>/rename/", edit_views.item_rename, name="item_rename"),
    path("<int:campaign_id>/sites/", views.site_list, name="site_list"),
    path("<int:campaign_id>/sites/import/", views.sites_import, name="sites_import"),
    path("<int:campaign_id>/sites/import/confirm/", views.sites_confirm, name="sites_confirm"),
    path("<int:campaign_id>/mock/", mock_views.mock_list, name="mock_list"),
    path("mock/<int:pk>/", mock_views.mock_detail, name="mock_detail"),
    path("mock/<int:pk>/draw/", mock_views.mock_draw, name="mock_draw"),
    path("mock/<int:pk>/assign/", mock_views.mock_assign, name="mock_assign"),
    path("mock/<int:pk>/start/", mock_views.mock_start, name="mock_start"),
    path("mock/<int:pk>/close/", mock_views.mock_close, name="mock_close"),
    path("mock/<int:pk>/results.xlsx", mock_views.mock_workbook, name="mock_workbook"),
    path("mock/<int:pk>/bulletin.docx", mock_views.mock_bulletin, name="mock_bulletin"),
    path("observe/", mock_views.my_sites, name="my_sites"),
    path("observe/<int:pk>/", mock_views.observe, name="observe"),
    path("<int:campaign_id>/material/", material_views.material_list, name="material_list"),
    path("material/", material_views.my_material, name="my_material"),
    path("material/<int:standard_id>/unit/<int:unit_id>/", material_views.material_edit, name="material_edit"),
    path("material/<int:pk>/review/", material_views.material_review, name="material_review"),
    path("material/file/<int:pk>/", material_views.material_file, name="material_file"),
    path("material/file/<int:pk>/remove/", material_views.material_file_remove, name="material_file_remove"),
    # 复查 from a rectification item's page: `pk` is the item's.
    path("rechecks/<int:pk>/", mock_views.recheck, name="recheck"),
]
