from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:campaign_id>/", views.system, name="system"),
    path("<int:campaign_id>/import/", views.system_import, name="system_import"),
    path("<int:campaign_id>/import/confirm/", views.system_confirm, name="system_confirm"),
    path("<int:campaign_id>/sites/", views.site_list, name="site_list"),
    path("<int:campaign_id>/sites/import/", views.sites_import, name="sites_import"),
    path("<int:campaign_id>/sites/import/confirm/", views.sites_confirm, name="sites_confirm"),
]
