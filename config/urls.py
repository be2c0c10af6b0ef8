from django.contrib import admin
from django.urls import include, path

from accounts.forms import AdminSignInForm
from accounts.views import home

admin.site.site_header = "创建活动工作平台 · 管理后台"
admin.site.site_title = "创建活动工作平台"
admin.site.index_title = "系统管理"
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("", include("reports.urls")),
    path("", include("notifications.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("imports/", include("imports.urls")),
    path("documents/", include("documents.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("supervision/", include("supervision.urls")),
    path("assessments/", include("assessments.urls")),
    path("setup/", include("setup.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]
