from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("notifications/read-all/", views.mark_all_read, name="mark_all_read"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/deliveries/", views.delivery_list, name="deliveries"),
    path("reports/<int:pk>/chase/", views.chase, name="chase"),
    path("campaigns/<int:campaign_id>/chase/", views.chase_overdue, name="chase_overdue"),
]
