from django.urls import path

from . import views

app_name = "setup"

urlpatterns = [
    path("<int:campaign_id>/", views.overview, name="overview"),
    path("<int:campaign_id>/basics/", views.basics, name="basics"),
    path("<int:campaign_id>/tasks/", views.tasks, name="tasks"),
    path("<int:campaign_id>/tasks/add/", views.task_create, name="task_create"),
    path("<int:campaign_id>/tasks/<int:pk>/", views.task_edit, name="task_edit"),
    path("<int:campaign_id>/tasks/<int:pk>/move/", views.task_move, name="task_move"),
    path("<int:campaign_id>/tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("<int:campaign_id>/rules/", views.rules, name="rules"),
    path("<int:campaign_id>/rules/add/", views.rule_create, name="rule_create"),
    path("<int:campaign_id>/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("<int:campaign_id>/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("<int:campaign_id>/indicators/", views.indicators, name="indicators"),
    path("<int:campaign_id>/leading-group/", views.leading_group, name="leading_group"),
    path("<int:campaign_id>/liaisons/", views.liaisons, name="liaisons"),
    path("<int:campaign_id>/liaisons/<int:unit_id>/", views.unit_people, name="unit_people"),
    path("<int:campaign_id>/liaisons/<int:unit_id>/assign/", views.member_assign, name="member_assign"),
    path("<int:campaign_id>/liaisons/members/<int:pk>/end/", views.member_end, name="member_end"),
    path("<int:campaign_id>/scoring/", views.scoring, name="scoring"),
    path("<int:campaign_id>/activate/", views.activate, name="activate"),
    path("<int:campaign_id>/discard/", views.discard, name="discard"),
]
