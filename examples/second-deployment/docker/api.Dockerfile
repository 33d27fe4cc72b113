# tasks-api: the Todo Chatbot API (FastAPI on uvicorn) on port 8000 as user app (UID 1001), SQLite under /app/data.
# Build context: images/backend (this file lives outside it; its .dockerignore applies):
#   docker build -f examples/second-deployment/docker/api.Dockerfile -t tasks-api:1.0.0 images/backend
# Both bases are build arguments and must put python3 at the same path: the virtualenv made in the first stage
# links to that interpreter (/usr/local/bin upstream, /usr/bin on the local Debian bases).
ARG PYTHON_BUILD_IMAGE=python:3.11-bookworm
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_BUILD_IMAGE} AS deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
COPY requirements.txt /deps/requirements.txt
# Wheels only (no compiler runs, here or later); the venv ends without pip, setuptools or activate scripts, and
# compiled, so the read-only runtime never writes bytecode.
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --only-binary=:all: --requirement /deps/requirements.txt \
 && /opt/venv/bin/pip uninstall --yes pip setuptools \
 && rm -f /opt/venv/bin/pip* /opt/venv/bin/activate* /opt/venv/bin/Activate.ps1 \
 && python3 -m compileall -q /opt/venv/lib

FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="tasks-api" \
      org.opencontainers.image.description="Todo Chatbot API on FastAPI with SQLite (second deployment)" \
      org.opencontainers.image.version="1.0.0"
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# The user app (1001) and its data directory. useradd where the base has it (upstream slim); the local runtime
# base has only sh and coreutils, so there the passwd and group lines are written directly.
RUN set -eu; \
    if command -v useradd >/dev/null 2>&1; then \
      groupadd --gid 1001 app; \
      useradd --uid 1001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app; \
    else \
      echo 'app:x:1001:' >>/etc/group; \
      echo 'app:x:1001:1001:app:/app:/usr/sbin/nologin' >>/etc/passwd; \
    fi; \
    mkdir -p /app/data; \
    chown app:app /app/data
COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY app/ /app/app/
RUN python3 -m compileall -q /app/app
# Numeric, so the kubelet can check runAsNonRoot without reading the image's /etc/passwd.
USER 1001:1001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python3", "-m", "app.healthcheck", "http://127.0.0.1:8000/health"]
CMD ["python3", "-m", "uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--no-server-header"]
