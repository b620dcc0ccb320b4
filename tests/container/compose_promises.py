"""docker-compose.yml's promises, checked on the parsed file: a healthy PostgreSQL before Ritme, the database URL,
replicas behind one published port, time to drain on stop."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
POSTGRES_DATA = "/var/lib/postgresql/data"
# Docker's own wait between SIGTERM and SIGKILL when the compose file says nothing.
DOCKER_STOP_SECONDS = 10

Compose = dict[str, Any]


def interpolate(value: str, environment: dict[str, str] | None = None) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME-default}, resolved against an environment (empty: defaults)."""
    environment = environment if environment is not None else {}

    def substitute(match: re.Match[str]) -> str:
        name, operator, default = match.group(1), match.group(2), match.group(3) or ""
        if operator == ":-":
            return environment.get(name) or default
        if operator == "-":
            return environment.get(name, default)
        return environment.get(name, "")

    return re.sub(r"\$\{(\w+)(?:(:?-)([^}]*))?\}", substitute, value)


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    """A service's `environment`, whichever of compose's two spellings (a mapping or a list of NAME=value) it uses."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        return dict(str(item).partition("=")[::2] for item in raw)
    return {str(key): "" if value is None else str(value) for key, value in raw.items()}


def _seconds(duration: str) -> float:
    """Compose durations: 1m30s, 15s, 500ms."""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(h|ms|us|m|s)", duration)
    if not parts or "".join(number + unit for number, unit in parts) != duration.replace(" ", ""):
        raise ValueError(f"not a compose duration: {duration!r} (write e.g. 15s)")
    return sum(float(number) * units[unit] for number, unit in parts)


def ritme_service(compose: Compose) -> tuple[str, dict[str, Any]] | None:
    """The service built from this repository's Dockerfile."""
    for name, service in (compose.get("services") or {}).items():
        build = service.get("build")
        context = build.get("context", ".") if isinstance(build, dict) else build
        if context in {".", "./"}:
            return name, service
    return None


def postgres_service(compose: Compose) -> tuple[str, dict[str, Any]] | None:
    """The PostgreSQL service (an official postgres image)."""
    for name, service in (compose.get("services") or {}).items():
        if re.fullmatch(r"(docker\.io/)?(library/)?postgres(:[\w.-]+)?", str(service.get("image", ""))):
            return name, service
    return None


def postgres_16_kept_and_checked(compose: Compose) -> str | None:
    """PostgreSQL 16 with a health check, its data on a named volume that outlives the container."""
    found = postgres_service(compose)
    if found is None:
        return "no service runs PostgreSQL; add one: image: postgres:16"
    name, service = found
    image = str(service["image"])
    if not re.search(r":16(\.|-|$)", image):
        return f"service {name} runs {image}; Ritme's compose file promises PostgreSQL 16: image: postgres:16"
    test = (service.get("healthcheck") or {}).get("test")
    if not test or test == ["NONE"] or (service.get("healthcheck") or {}).get("disable"):
        return (f"service {name} has no healthcheck, so nothing can wait for it; add "
                'test: ["CMD-SHELL", "pg_isready"]')
    volumes = [str(volume) for volume in service.get("volumes") or [] if isinstance(volume, str)]
    data = [volume for volume in volumes if volume.split(":")[1:2] == [POSTGRES_DATA]]
    if not data:
        return (f"service {name} keeps its data inside the container; mount a named volume: "
                f"postgres-data:{POSTGRES_DATA}")
    source = data[0].split(":", 1)[0]
    if source.startswith((".", "/")) or source not in (compose.get("volumes") or {}):
        return f"service {name} keeps its data in {source}, not a named volume declared under volumes: postgres-data"
    return None


def ritme_waits_for_healthy_postgres(compose: Compose) -> str | None:
    """Ritme starts only once PostgreSQL answers, and reads the admin's .env."""
    found, database = ritme_service(compose), postgres_service(compose)
    if found is None or database is None:
        return "the compose file needs a service built from this repository (build: .) and a PostgreSQL service"
    name, service = found
    depends = service.get("depends_on") or {}
    condition = depends.get(database[0], {}).get("condition") if isinstance(depends, dict) else None
    if condition != "service_healthy":
        return (f"service {name} does not wait for a healthy {database[0]}; write depends_on: {{{database[0]}: "
                "{condition: service_healthy}}")
    env_files = service.get("env_file") or []
    env_files = env_files if isinstance(env_files, list) else [env_files]
    paths = [entry.get("path") if isinstance(entry, dict) else entry for entry in env_files]
    if ".env" not in paths and "./.env" not in paths:
        return f"service {name} does not read the admin's settings; add env_file: .env"
    return None


def ritme_gets_the_database_url(compose: Compose, environment: dict[str, str] | None = None) -> str | None:
    """RITME_DATABASE_URL names the compose PostgreSQL, with its user, password and database, for asyncpg."""
    found, database = ritme_service(compose), postgres_service(compose)
    if found is None or database is None:
        return "the compose file needs a service built from this repository (build: .) and a PostgreSQL service"
    (name, service), (db_name, db_service) = found, database
    raw = environment_of(service).get("RITME_DATABASE_URL")
    example = f"RITME_DATABASE_URL: postgresql+asyncpg://ritme:${{POSTGRES_PASSWORD}}@{db_name}:5432/ritme"
    if not raw:
        return f"service {name} gets no RITME_DATABASE_URL, so it would use a SQLite file; set {example}"
    url = make_url(interpolate(raw, environment))
    db_env = {key: interpolate(value, environment) for key, value in environment_of(db_service).items()}
    expected = {
        "driver": ("postgresql+asyncpg", url.drivername),
        "host": (db_name, url.host),
        "port": (5432, url.port or 5432),
        "user": (db_env.get("POSTGRES_USER", "postgres"), url.username),
        "password": (db_env.get("POSTGRES_PASSWORD"), url.password),
        "database": (db_env.get("POSTGRES_DB", db_env.get("POSTGRES_USER", "postgres")), url.database),
    }
    for part, (want, got) in expected.items():
        if want != got:
            return f"service {name}'s RITME_DATABASE_URL has {part} {got!r} where {db_name} has {want!r}; set {example}"
    if environment_of(service).get("RITME_MIGRATE_ON_START", "true").lower() in {"false", "0", "no", "off"}:
        return f"service {name} does not migrate on start, so a fresh `docker compose up` cannot serve; drop that line"
    return None


def replicas_share_one_port(compose: Compose, port: int) -> str | None:
    """Ritme publishes no host port of its own (so --scale works); a proxy publishes one and forwards to it."""
    found = ritme_service(compose)
    if found is None:
        return "the compose file needs a service built from this repository (build: .)"
    name, service = found
    for mapping in service.get("ports") or []:
        # "8080" alone lets Docker pick a free host port per replica; "8080:8080" or published: 8080 fixes one.
        host = mapping.get("published") if isinstance(mapping, dict) else str(mapping).rpartition(":")[0]
        if host:
            return (f"service {name} publishes host port {host}: a second replica could not bind it (docker compose "
                    f"up --scale {name}=3); publish the proxy's port instead")
    for proxy_name, proxy in (compose.get("services") or {}).items():
        if proxy_name == name or not proxy.get("ports"):
            continue
        for volume in proxy.get("volumes") or []:
            source = str(volume).split(":", 1)[0]
            config = REPO_ROOT / source
            if source.startswith(".") and config.is_file():
                text = config.read_text()
                if re.search(rf"\b{re.escape(name)}\b", text) and re.search(rf"\b{port}\b", text):
                    return None
    return f"no service publishes a port and forwards it to {name}:{port}; add a proxy (see deploy/Caddyfile)"


def stop_leaves_time_to_drain(compose: Compose, drain_seconds: float) -> str | None:
    """Docker waits longer than Ritme's drain before it sends SIGKILL."""
    found = ritme_service(compose)
    if found is None:
        return "the compose file needs a service built from this repository (build: .)"
    name, service = found
    grace = service.get("stop_grace_period")
    seconds = _seconds(str(grace)) if grace is not None else DOCKER_STOP_SECONDS
    if seconds <= drain_seconds:
        return (f"service {name} gets {seconds:g} s to stop but drains for up to {drain_seconds:g} s, so Docker would "
                f"SIGKILL it mid-drain; set stop_grace_period: {int(drain_seconds) + 5}s")
    return None


def broken_promises(compose: Compose, port: int, drain_seconds: float) -> list[str]:
    """Every promise the parsed compose file breaks, in words (empty when it keeps them all)."""
    problems = [
        postgres_16_kept_and_checked(compose),
        ritme_waits_for_healthy_postgres(compose),
        ritme_gets_the_database_url(compose),
        replicas_share_one_port(compose, port),
        stop_leaves_time_to_drain(compose, drain_seconds),
    ]
    return [problem for problem in problems if problem is not None]
