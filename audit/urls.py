from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.csv", views.export, name="export"),
    path("sign-ins/", views.sign_ins, name="sign_ins"),
]
