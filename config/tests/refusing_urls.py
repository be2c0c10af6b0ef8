"""The site with views that refuse, for test_refused_logging.py."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

from config.urls import urlpatterns as site
from core.errors import Refused


def not_found(request):
    raise Http404("没有这个创建活动，或您无权查看。")


def forbidden(request):
    raise PermissionDenied("汇总表由领导小组办公室生成。")


def refused(request):
    raise Refused("本期已超过截止时间，请填写逾期说明后再报送。")


def broken(request):
    raise ZeroDivisionError("a real bug")


urlpatterns = [
    path("not-found/", not_found),
    path("forbidden/", forbidden),
    path("refused/", refused),
    path("broken/", broken),
    *site,  # the error pages link to the site's own pages
]
