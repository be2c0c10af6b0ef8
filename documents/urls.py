from django.urls import path

from . import polish_views, views

app_name = "documents"

urlpatterns = [
    path("annual/", views.annual, name="annual"),
    path("polish/", polish_views.polish, name="polish"),
]
