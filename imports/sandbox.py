"""Reading an uploaded plan in a child process with a memory cap and a
wall-clock timeout, so that a crafted file fails its job with a Chinese
message instead of growing a worker until the kernel kills it.

`read_in_child` runs `python -m imports.sandbox`: the child caps its own
address space (RLIMIT_AS) and CPU time before it imports a reader, reads the
file's bytes from stdin, and writes one JSON object to stdout, the text and
the proposal or the refusal's message. It never touches the database nor
Django's settings: the limits come on its command line.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from core.errors import Refused

# The child's exit status when it ran out of its memory cap.
OUT_OF_MEMORY = 3
# The folder holding the project's packages, where the child starts.
PROJECT_DIR = Path(__file__).resolve().parent.parent

MEMORY_MESSAGE = (
    "识别这个文件所需的内存超过了上限（{cap}），已停止识别，没有创建任何数据。"
    "文件可能异常（如解压后极大），请检查后重新另存为 .docx 上传，或直接粘贴方案全文。"
)
TIMEOUT_MESSAGE = (
    "识别这个文件超过了 {seconds} 秒的时限，已停止识别，没有创建任何数据。"
    "请检查文件（页数是否过多），或另存为 .docx 后重新上传。"
)
CRASH_MESSAGE = "识别这个文件时出错，没有创建任何数据。请另存为 .docx 后重新上传；如仍失败，请联系系统管理员（错误已记入系统日志）。"


class ReadFailed(Refused):
    """The child could not read the file; str() is the message for the user."""

    def __init__(self, message, *, detail=""):
        super().__init__(message)
        self.detail = detail


def _megabytes(size):
    return f"{size // 1024 // 1024} MB"


def read_in_child(*, name, data, year, limits, memory_bytes, timeout):
    """(text, proposal as a dict) of a plan file, read by a capped child
    process; ReadFailed (a refusal of the file, the cap, the time limit)."""
    arguments = {
        "name": name,
        "year": year,
        "limits": {"max_bytes": limits.max_bytes, "max_unpacked": limits.max_unpacked, "max_pages": limits.max_pages},
        "memory_bytes": memory_bytes,
        # CPU seconds: a busy loop ends even if the wall clock was not watched.
        "cpu_seconds": int(timeout) + 1,
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "imports.sandbox", json.dumps(arguments)],
            input=data,
            capture_output=True,
            timeout=timeout,
            cwd=PROJECT_DIR,
            env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        # subprocess.run has killed the child.
        raise ReadFailed(TIMEOUT_MESSAGE.format(seconds=int(timeout)), detail="timeout") from exc
    if done.returncode == OUT_OF_MEMORY:
        raise ReadFailed(MEMORY_MESSAGE.format(cap=_megabytes(memory_bytes)), detail="memory")
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if done.returncode != 0 or not isinstance(answer, dict):
        stderr = done.stderr.decode("utf-8", "replace")[-2000:]
        # A child killed by a signal (SIGXCPU, SIGSEGV) or one that died on
        # an allocation outside Python (MemoryError text on stderr).
        if "MemoryError" in stderr or "memory" in stderr.lower():
            raise ReadFailed(MEMORY_MESSAGE.format(cap=_megabytes(memory_bytes)), detail="memory")
        raise ReadFailed(CRASH_MESSAGE, detail=f"exit {done.returncode}: {stderr}")
    if "refused" in answer:
        raise ReadFailed(answer["refused"], detail="refused")
    return answer["text"], answer["proposal"]


def _cap(memory_bytes, cpu_seconds):
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def _child(argv):
    arguments = json.loads(argv[1])
    _cap(arguments["memory_bytes"], arguments["cpu_seconds"])
    try:
        from imports.reading import Limits, PlanReadError, propose, read_plan_file

        limits = Limits(**arguments["limits"])
        data = sys.stdin.buffer.read()
        try:
            text = read_plan_file(arguments["name"], data, limits=limits)
            del data
            proposal = propose(text, year=arguments["year"], limit=limits.max_bytes).to_dict()
        except PlanReadError as exc:
            answer = {"refused": str(exc)}
        else:
            answer = {"text": text, "proposal": proposal}
        sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
        sys.stdout.buffer.flush()
    except MemoryError:
        # Nothing more may be allocated: leave at once, the status says why.
        os._exit(OUT_OF_MEMORY)


if __name__ == "__main__":
    _child(sys.argv)
