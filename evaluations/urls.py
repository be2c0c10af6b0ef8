from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaign/<int:campaign_id>/", views.evaluation_list, name="list"),
    path("campaign/<int:campaign_id>/compute/", views.compute, name="compute"),
    path("campaign/<int:campaign_id>/objections/", views.objections, name="objections"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/entered/<int:component_id>/", views.entered_scores, name="entered_scores"),
    path("<int:pk>/bulletin/draft/", views.bulletin_draft, name="bulletin_draft"),
    path("score/<int:pk>/", views.score, name="score"),
    path("score/<int:pk>/adjust/", views.adjust, name="adjust"),
    path("score/<int:pk>/object/", views.raise_objection, name="objection_raise"),
    path("objection/<int:pk>/answer/", views.answer_objection, name="objection_answer"),
    path("bulletin/<int:pk>/", views.bulletin, name="bulletin"),
    path("bulletin/<int:pk>/publish/", views.bulletin_publish, name="bulletin_publish"),
    path("bulletin/<int:pk>/download/", views.bulletin_download, name="bulletin_download"),
]
