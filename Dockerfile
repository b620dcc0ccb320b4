# One container: the web server, the timer and the engine. Configure it with RITME_* variables (.env.example).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    RITME_HOST=0.0.0.0 RITME_PORT=8080 RITME_DATABASE_URL=sqlite+aiosqlite:////data/ritme.db

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot bot
COPY rituals rituals
COPY storage storage
COPY adapters adapters
RUN pip install --no-cache-dir . && useradd --create-home ritme && mkdir /data && chown ritme /data

USER ritme
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"RITME_PORT\"]}/healthz')"
CMD ["ritme", "run"]
