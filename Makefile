# The two commands a newcomer needs: `make run` and `make test` (README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-requirements
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and notifications point at the server `make run` starts.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test bench venv migrate demo clean

venv: $(STAMP)

# The oldest Python the project runs on (README.md: Python 3.11 or newer).
PYTHON_MIN := 3.11

$(STAMP): requirements.txt
	@py=$(BIN)/python; test -x $$py || py=$(PYTHON); \
	if ! command -v $$py >/dev/null 2>&1; then \
		echo "找不到 Python：$$py。本项目需要 Python $(PYTHON_MIN) 或更高版本，请安装后再运行，或用 make PYTHON=python3.12 指定。" >&2; exit 1; \
	fi; \
	if ! $$py -c 'import sys; sys.exit(sys.version_info < tuple(map(int, "$(PYTHON_MIN)".split("."))))'; then \
		echo "Python 版本不对：$$py 是 $$($$py -c 'import platform; print(platform.python_version())')，本项目需要 Python $(PYTHON_MIN) 或更高版本。" >&2; \
		echo "请安装 Python $(PYTHON_MIN)+ 后用 make PYTHON=python3.12（或其路径）再运行；若旧的 .venv 由旧版本建成，请先删除 .venv。" >&2; \
		exit 1; \
	fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --no-input --verbosity 1
	$(BIN)/python manage.py createcachetable

# The demo's messages (a published evaluation's notice) carry links: to this server.
demo: migrate
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo

run: demo
	@echo ""
	@echo "正在启动网站、Celery worker 和 beat，随后显示网址 http://$(HOST):$(PORT)/ 和演示账号……"
	@echo ""
	APP_HOST=$(HOST) APP_PORT=$(PORT) SITE_URL=$(SITE_URL) $(BIN)/honcho start -f Procfile

# One pytest-xdist worker per core, each with its own test database;
# TEST_WORKERS=0 runs the suite in one process. Keep xdist's default
# distribution (load): it hands each worker the tests in pytest-django's
# order, transactional tests last, since they flush the database and with it
# the rows the migrations load. --dist loadfile or loadscope would not.
TEST_WORKERS ?= auto
# The layers first (.importlinter): a reach-up fails in seconds, before the suite.
test: venv
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

bench: venv
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python -m bench

clean:
	rm -rf var
