from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("annual/", views.annual, name="annual"),
]
