from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("preview/", views.preview, name="preview"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("confirm/", views.confirm, name="confirm"),
]
