from django.urls import path

from . import mock_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:campaign_id>/", views.system, name="system"),
    path("<int:campaign_id>/import/", views.system_import, name="system_import"),
    path("<int:campaign_id>/import/confirm/", views.system_confirm, name="system_confirm"),
    path("<int:campaign_id>/sites/", views.site_list, name="site_list"),
    path("<int:campaign_id>/sites/import/", views.sites_import, name="sites_import"),
    path("<int:campaign_id>/sites/import/confirm/", views.sites_confirm, name="sites_confirm"),
    path("<int:campaign_id>/mock/", mock_views.mock_list, name="mock_list"),
    path("mock/<int:pk>/", mock_views.mock_detail, name="mock_detail"),
    path("mock/<int:pk>/draw/", mock_views.mock_draw, name="mock_draw"),
    path("mock/<int:pk>/assign/", mock_views.mock_assign, name="mock_assign"),
    path("mock/<int:pk>/start/", mock_views.mock_start, name="mock_start"),
    path("mock/<int:pk>/close/", mock_views.mock_close, name="mock_close"),
    path("observe/", mock_views.my_sites, name="my_sites"),
    path("observe/<int:pk>/", mock_views.observe, name="observe"),
    # 复查 from a rectification item's page: `pk` is the item's.
    path("rechecks/<int:pk>/", mock_views.recheck, name="recheck"),
]
