from django.urls import path

from . import polish_views, views

app_name = "documents"

urlpatterns = [
    # The index keeps the year-end report's name: links and bookmarks to it still work.
    path("annual/", views.annual, name="annual"),
    path("campaigns/<int:campaign_id>/drafts/", views.start, name="start"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("drafts/<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("drafts/<int:pk>/versions/<int:number>/restore/", views.restore, name="restore"),
    path("drafts/<int:pk>/versions/<int:number>/docx/", views.download_docx, name="docx"),
    path("drafts/<int:pk>/versions/<int:number>/pdf/", views.download_pdf, name="pdf"),
    path("polish/", polish_views.polish, name="polish"),
]
