from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("today/", views.today, name="today"),
    path("holidays/", views.holidays, name="holidays"),
    path("<int:campaign_id>/", views.campaign, name="campaign"),
    path("<int:campaign_id>/ranking/", views.ranking, name="ranking"),
]
