from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "创建活动工作平台 · 管理后台"
admin.site.site_title = "创建活动工作平台"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
    path("admin/", admin.site.urls),
]
