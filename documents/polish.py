"""Polishing (润色) a paragraph of a document draft with the office's own
language model, behind an OpenAI-compatible API on the intranet
(settings.LLM_URL; DeepSeek or Qwen served by vLLM, Ollama and the like).

The model only proposes: its answer is refused when any figure of the
paragraph was changed, dropped or added (documents/figures.py), and the
office adopts or ignores what is left. Nothing is stored and the paragraph's
text is never logged.
"""

import http.client
import json
import logging
import re
import urllib.error
import urllib.request

from django.conf import settings

from core.errors import Refused

from .figures import changed_figures, describe

logger = logging.getLogger(__name__)

# A paragraph, not a document: a longer text is slow to answer and hard to check by eye.
MAX_CHARS = 3000
# A chat completion of one paragraph is a few kilobytes; more is not an answer to read.
MAX_RESPONSE_BYTES = 1024 * 1024
UNREADABLE = "模型服务的答复无法识别，请联系系统管理员检查 LLM_URL 和 LLM_MODEL 设置。"

SYSTEM_PROMPT = (
    "你是党政机关公文写作助手，负责润色公文草稿中的一个段落。要求：\n"
    "1. 保持原意，不增加、不删减任何事实，不编造数据、事例或结论；\n"
    "2. 原文中的每一个数字、百分比、日期、人名、单位名称、文件名称和书名号《》内的标题都必须原样保留，"
    "不得改写、换算、合并或省略；\n"
    "3. 使用规范、庄重、简洁的公文语体，改正错别字和病句，理顺语序，避免口语化表达；\n"
    "4. 篇幅与原文大致相当；\n"
    "5. 只输出润色后的这一段正文，不加标题、解释、说明、引号或任何 Markdown 标记。"
)


class PolishRefused(Refused):
    """The paragraph was not polished; `status` is the HTTP status the page answers with."""

    status = 502


class PolishInputRefused(PolishRefused):
    status = 400


class FiguresChanged(PolishRefused):
    def __init__(self, dropped, added):
        super().__init__(f"模型改动了数字：{describe(dropped, added)}，已拒绝，原文未改。")
        self.dropped, self.added = dropped, added


def enabled():
    return bool(settings.LLM_URL)


def polish(text):
    """The paragraph as the model rewrites it, with every figure of `text`
    kept; PolishRefused with the sentence to show otherwise."""
    text = (text or "").strip()
    if not text:
        raise PolishInputRefused("这一段还没有内容，写好后再润色。")
    if len(text) > MAX_CHARS:
        raise PolishInputRefused(f"一次最多润色 {MAX_CHARS} 字，这一段有 {len(text)} 字，请分成几段分别润色。")
    answer = clean(ask(text))
    if not answer:
        _fail("empty answer", "模型没有给出润色结果，请稍后再试。")
    if len(answer) > 2 * len(text) + 100:
        _fail(
            f"answer of {len(answer)} characters for {len(text)}",
            "模型的回答比原文长得多，可能添加了原文没有的内容，已拒绝，原文未改。",
        )
    dropped, added = changed_figures(text, answer)
    if dropped or added:
        logger.warning("LLM polish refused: %d figures dropped, %d added", len(dropped), len(added))
        raise FiguresChanged(dropped, added)
    return answer


def ask(text):
    """The model's raw answer to the paragraph."""
    if not settings.LLM_URL.startswith(("http://", "https://")):
        _fail("LLM_URL is not a URL", "模型服务地址 LLM_URL 设置有误（应以 http:// 或 https:// 开头），请联系系统管理员。")
    body = {
        "model": settings.LLM_MODEL,
        "messages": [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": text}],
        "temperature": 0.2,
        "stream": False,
    }
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
    if settings.LLM_API_KEY:
        headers["Authorization"] = f"Bearer {settings.LLM_API_KEY}"
    request = urllib.request.Request(
        f"{settings.LLM_URL.rstrip('/')}/chat/completions",
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers=headers,
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.LLM_TIMEOUT) as response:
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as error:
        _fail(f"HTTP {error.code}", f"模型服务返回错误（HTTP {error.code}），请稍后再试或联系系统管理员。")
    except (TimeoutError, OSError) as error:
        # urllib wraps a refused connection or a connect timeout in URLError
        # (an OSError); a read that times out raises TimeoutError itself.
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            _fail("timeout", f"模型服务在 {settings.LLM_TIMEOUT:g} 秒内没有答复，请稍后再试，或把这一段分短一些。")
        _fail(f"unreachable: {reason}", "连接不上模型服务，请稍后再试或联系系统管理员。")
    except http.client.HTTPException as error:
        _fail(f"not HTTP: {type(error).__name__}", UNREADABLE)
    if len(raw) > MAX_RESPONSE_BYTES:
        _fail("response too large", UNREADABLE)
    try:
        choice = json.loads(raw)["choices"][0]
        content = choice["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        _fail("malformed response", UNREADABLE)
    if not isinstance(content, str):
        _fail("content is not text", UNREADABLE)
    if choice.get("finish_reason") == "length":
        # Cut off mid-paragraph: what came back is not the paragraph.
        _fail("answer cut off (finish_reason length)", "模型的回答不完整（被截断），已拒绝，原文未改；请把这一段分短一些再试。")
    return content


_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL)
_FENCE = re.compile(r"^```[\w-]*\s*\n?(.*?)\n?```$", re.DOTALL)
_QUOTES = [("“", "”"), ('"', '"'), ("「", "」"), ("'", "'")]
_PREAMBLE = re.compile(r"^(润色后的?(段落|文本|内容)?|修改后的?(段落|文本|内容)?)[:：]\s*")


def clean(answer):
    """The paragraph alone: without a reasoning model's <think> block, a
    code fence, a 润色后： lead-in or quotes around the whole."""
    answer = _THINKING.sub("", answer).strip()
    fenced = _FENCE.match(answer)
    if fenced:
        answer = fenced.group(1).strip()
    answer = _PREAMBLE.sub("", answer).strip()
    for left, right in _QUOTES:
        if len(answer) > 1 and answer.startswith(left) and answer.endswith(right) and left not in answer[1:-1]:
            answer = answer[1:-1].strip()
    return answer


def _fail(reason, message):
    logger.warning("LLM polish failed: %s", reason)
    raise PolishRefused(message)
