# syntax=docker/dockerfile:1
# One image: the web server, the timer and the engine. Configure it with RITME_* variables (.env.example).
# Build: docker build -t ritme .   Run: docker run -p 8080:8080 -v ritme-data:/data ritme
# tests/container/ checks this file's promises and repeats its install steps in a fresh virtual environment.

# --- build: Ritme's wheel and a wheel of every dependency, so the final stage needs no compiler and no index.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY rituals rituals
COPY storage storage
COPY adapters adapters
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# --- runtime: the same slim base, Ritme installed from those wheels only.
FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RITME_HOST=0.0.0.0 RITME_PORT=8080 RITME_DATABASE_URL=sqlite+aiosqlite:////data/ritme.db \
    RITME_LOG_FORMAT=json
# A numeric uid, so Kubernetes' runAsNonRoot can verify the image without looking the name up.
RUN groupadd --system --gid 10001 ritme \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home ritme \
    && mkdir /data && chown ritme:ritme /data
# The wheels are mounted for this one step rather than copied, so they take no space in any layer.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels ritme

USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8080
# /healthz says the process serves; /readyz (database reachable, schema current) is for the load balancer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('RITME_PORT', '8080') + '/healthz', timeout=4)"]
# On SIGTERM Ritme stops taking work and drains what is in flight (RITME_DRAIN_SECONDS, 10 by default) before it
# exits; `docker stop` sends SIGKILL after 10 s unless given more, so stop with --time 15 (compose:
# stop_grace_period) or set the drain below Docker's grace period.
STOPSIGNAL SIGTERM
ENTRYPOINT ["ritme"]
CMD ["run"]
