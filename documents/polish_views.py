"""润色: office staff ask the intranet language model to polish a paragraph
of a document draft (documents/polish.py). The page posts the paragraph and
the campaign it drafts for, and shows the answer beside it; nothing is
saved here.

The call runs inside the request and holds a web worker for up to
settings.LLM_TIMEOUT seconds. Without settings.LLM_URL the address is a 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from campaigns.access import office_campaigns
from core.http import parse_id

from . import polish as polishing


@login_required
@require_POST
def polish(request):
    if not polishing.enabled():
        raise Http404("未配置模型服务。")
    campaign_id = parse_id(request.POST.get("campaign", ""))
    if campaign_id is None:
        raise Http404("没有这个创建活动。")
    # Only the office drafts the campaign's documents; leaders and units get 404.
    get_object_or_404(office_campaigns(request.user), pk=campaign_id)
    try:
        text = polishing.polish(request.POST.get("text", ""))
    except polishing.PolishRefused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status, json_dumps_params={"ensure_ascii": False})
    return JsonResponse({"text": text}, json_dumps_params={"ensure_ascii": False})
