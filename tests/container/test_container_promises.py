"""The image's and the compose file's promises, read from the files themselves (this machine has no Docker engine).

Each promise is checked on the real file, and each check is shown to catch the break it is for: a copy of the real
file with that one promise broken must be refused, with words that say what is wrong.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from bot.settings import Settings
from tests.container import compose_promises as compose_check
from tests.container import dockerfile_promises as docker_check
from tests.container.compose_promises import COMPOSE_FILE
from tests.container.dockerfile_promises import DOCKERFILE, DockerfileError, broken_promises, parse

SETTINGS_PORT = int(Settings.model_fields["port"].default)
# Until RITME_DRAIN_SECONDS lands, the drain Docker must wait for is its announced default.
_drain = Settings.model_fields.get("drain_seconds")
DRAIN_SECONDS = float(_drain.default) if _drain is not None else 10.0


def _dockerfile() -> str:
    return DOCKERFILE.read_text()


def _broken(*edits: tuple[str, str]) -> str:
    """The real Dockerfile with pieces replaced; each piece must be there, or the test would prove nothing."""
    text = _dockerfile()
    for old, new in edits:
        assert old in text, f"the Dockerfile no longer contains {old!r}; update this test's broken copy"
        text = text.replace(old, new)
    return text


def _without_instruction(keyword: str) -> str:
    """The real Dockerfile without its (first) instruction of this kind, continuation lines included."""
    lines = _dockerfile().splitlines(keepends=True)
    start = next(index for index, line in enumerate(lines) if line.startswith(keyword + " "))
    end = start
    while lines[end].rstrip("\n").endswith("\\"):
        end += 1
    return "".join(lines[:start] + lines[end + 1:])


def test_the_dockerfile_keeps_every_promise() -> None:
    assert broken_promises(_dockerfile(), SETTINGS_PORT) == []


def test_the_image_serves_on_the_port_the_settings_default_to() -> None:
    final = parse(_dockerfile()).final
    assert [instruction.arguments for instruction in final.all("EXPOSE")] == [str(SETTINGS_PORT)]
    assert final.env["RITME_HOST"] == "0.0.0.0"


def test_the_build_stage_makes_the_wheels_the_final_stage_installs() -> None:
    dockerfile = parse(_dockerfile())
    assert len(dockerfile.stages) == 2
    build, final = dockerfile.stages
    assert docker_check.brought_from_earlier_stages(dockerfile) == {"/wheels": docker_check.Brought(build, "/wheels")}
    (wheel,) = docker_check.pip_calls(build)
    assert (wheel.subcommand, wheel.option("--wheel-dir"), wheel.requirements) == ("wheel", "/wheels", ["."])
    (install,) = docker_check.pip_calls(final)
    assert install.has("--no-index") and install.requirements == ["ritme"]
    # The final stage has none of the source tree: only the wheels reach it.
    assert [instruction.arguments for instruction in final.all("COPY")] == []


NO_ROOT = "USER 10001:10001"
BROKEN_DOCKERFILES: dict[str, tuple[str, str]] = {
    "no USER: runs as root": (_without_instruction("USER"), "never sets USER"),
    "USER root": (_broken((NO_ROOT, "USER root")), "runs Ritme as root"),
    "USER 0 by number": (_broken((NO_ROOT, "USER 0:0")), "runs Ritme as root"),
    "a compiler in the final stage": (
        _broken((NO_ROOT, f"RUN apt-get update && apt-get install -y --no-install-recommends gcc\n{NO_ROOT}")),
        "installs gcc, a build tool"),
    "build-essential in the final stage": (
        _broken((NO_ROOT, f"RUN apt-get install -y build-essential\n{NO_ROOT}")), "installs build-essential"),
    "a -dev header package in the final stage": (
        _broken((NO_ROOT, f"RUN apk add --no-cache libpq-dev\n{NO_ROOT}")), "installs libpq-dev"),
    "setuptools in the final stage": (
        _broken(("--find-links=/wheels ritme", "--find-links=/wheels ritme setuptools")), "installs setuptools"),
    "the final stage installs from PyPI": (
        _broken(("--no-index --find-links=/wheels ritme", "ritme")), "may fetch from an index"),
    "the final stage builds from source": (
        _broken(("--find-links=/wheels ritme", "--find-links=/src .")), "holds nothing from the build stage"),
    "the wheels are not brought over": (
        _broken(("RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \\\n", "RUN ")),
        "holds nothing from the build stage"),
    "pip's cache stays in the image": (
        _broken(("PIP_NO_CACHE_DIR=1 ", ""), ("pip install --no-cache-dir --no-index", "pip install --no-index")),
        "keeps its download cache in the image"),
    "the final stage installs something, but not Ritme": (
        _broken(("--find-links=/wheels ritme", "--find-links=/wheels slack-bolt")), "installs ritme itself"),
    "the build stage builds no wheels": (
        _broken(("RUN pip wheel --no-cache-dir --wheel-dir /wheels .", "RUN pip install --no-cache-dir .")),
        "no earlier stage builds the wheels"),
    "wheels built on another Python": (
        _broken(("FROM python:3.11-slim AS build", "FROM python:3.12-slim AS build")), "built FROM python:3.12-slim"),
    "a full (not slim) base": (
        _broken(("FROM python:3.11-slim AS runtime", "FROM python:3.11 AS runtime")), "carries compilers"),
    "an old Python": (
        _broken(("FROM python:3.11-slim AS runtime", "FROM python:3.10-slim AS runtime")), "Ritme needs 3.11 or newer"),
    "not the official Python image": (
        _broken(("FROM python:3.11-slim AS runtime", "FROM debian:bookworm-slim AS runtime")),
        "not the official Python"),
    "no HEALTHCHECK": (_without_instruction("HEALTHCHECK"), "has no HEALTHCHECK"),
    "HEALTHCHECK NONE": (
        _broken(("STOPSIGNAL SIGTERM", "HEALTHCHECK NONE\nSTOPSIGNAL SIGTERM")), "turns the health check off"),
    "the health check asks another path": (
        _broken(("/healthz'", "/metrics'")), "does not ask http://127.0.0.1:<port>/healthz"),
    "the health check asks another port": (
        _broken(("'http://127.0.0.1:' + os.environ.get('RITME_PORT', '8080') + '/healthz'",
                 "'http://127.0.0.1:9000/healthz'")),
        "asks port 9000, but Ritme listens on 8080"),
    "EXPOSE another port": (_broken(("EXPOSE 8080", "EXPOSE 9000")), "exposes 9000, but Ritme listens on 8080"),
    "RITME_PORT off the exposed port": (
        _broken(("RITME_PORT=8080", "RITME_PORT=9000")), "moves Ritme off the exposed port 8080"),
    "listening on loopback only": (
        _broken(("RITME_HOST=0.0.0.0 ", "")), "nothing outside the container can connect"),
    "the demo instead of run": (_broken(('CMD ["run"]', 'CMD ["demo"]')), "not ritme run"),
    "a shell-form entry point": (
        _broken(('ENTRYPOINT ["ritme"]\nCMD ["run"]', "CMD ritme run")), "does not pass SIGTERM on"),
    "another stop signal": (_broken(("STOPSIGNAL SIGTERM", "STOPSIGNAL SIGKILL")), "Ritme drains on SIGTERM"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_DOCKERFILES))
def test_a_broken_promise_in_the_dockerfile_is_caught(case: str) -> None:
    text, says = BROKEN_DOCKERFILES[case]
    problems = broken_promises(text, SETTINGS_PORT)
    assert problems, f"{case}: the checker let it pass"
    assert any(says in problem for problem in problems), problems


def test_wheels_copied_rather_than_mounted_keep_the_promises_too() -> None:
    copied = _broken(
        ("RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \\\n",
         "COPY --from=build /wheels /tmp/wheels\nRUN "),
        ("--find-links=/wheels ritme", "--find-links /tmp/wheels ritme"),
    )
    assert broken_promises(copied, SETTINGS_PORT) == []


def test_the_reader_follows_dockers_syntax() -> None:
    dockerfile = parse(
        "# syntax=docker/dockerfile:1\n"
        "ARG VERSION=3.11\n"
        "FROM python:3.11-slim AS Build\n"
        "RUN pip wheel \\\n"
        "    # a comment inside a continued line\n"
        "    --wheel-dir /w .\n"
        "FROM python:3.11-slim\n"
        "ENV A=1 B=\"two words\"\n"
        "ENV OLD style value\n"
        "COPY --from=build /w /w\n"
        'CMD ["ritme", "run"]\n'
    )
    build, final = dockerfile.stages
    assert build.name == "build" and final.name is None
    assert build.all("RUN")[0].arguments == "pip wheel --wheel-dir /w ."
    assert final.env == {"A": "1", "B": "two words", "OLD": "style value"}
    assert final.all("COPY")[0].flags == {"from": "build"}
    assert final.last("CMD") is not None and final.last("CMD").exec_form == ["ritme", "run"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("RUN pip install ritme\n", "before the first FROM"),
        ("FROM python:3.11-slim AS\n", "FROM takes an image and an optional AS name"),
        ("FROM python:3.11-slim\nRUN pip install \\\n", "ends inside a continued instruction"),
        ("", "no FROM line"),
    ],
)
def test_the_reader_refuses_what_it_cannot_read_and_says_why(text: str, says: str) -> None:
    with pytest.raises(DockerfileError, match=says):
        parse(text)


def test_the_build_context_leaves_out_what_the_image_must_not_see() -> None:
    dockerignore = docker_check.DOCKERIGNORE.read_text()
    assert docker_check.context_keeps_secrets_out_and_sources_in(parse(_dockerfile()), dockerignore) is None
    patterns = docker_check.dockerignore_patterns(dockerignore)
    assert docker_check.ignored(patterns, "storage/migrations/__pycache__/env.cpython-311.pyc")
    assert not docker_check.ignored(patterns, "storage/migrations/versions/0001_initial.py")


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ((".git\n", ""), ".git would go into the build context"),
        (("\n.env\n", "\n"), ".env would go into the build context"),
        (("\ntests\n", "\n"), "tests would go into the build context"),
        (("*.db\n", ""), "ritme.db would go into the build context"),
        (("\n.ci\n", "\n.ci\nadapters\n"), "COPY adapters finds nothing"),
        (("\n.ci\n", "\n.ci\n*.toml\n"), "COPY pyproject.toml finds nothing"),
    ],
)
def test_a_leaky_or_greedy_dockerignore_is_caught(edit: tuple[str, str], says: str) -> None:
    old, new = edit
    dockerignore = docker_check.DOCKERIGNORE.read_text()
    assert old in dockerignore
    broken = dockerignore.replace(old, new)
    problem = docker_check.context_keeps_secrets_out_and_sources_in(parse(_dockerfile()), broken)
    assert problem is not None and says in problem, problem


# --- docker-compose.yml


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_the_compose_file_keeps_every_promise() -> None:
    assert compose_check.broken_promises(_compose(), SETTINGS_PORT, DRAIN_SECONDS) == []


def test_ritme_in_compose_reaches_the_compose_postgres_with_a_url_the_settings_accept() -> None:
    ritme = _compose()["services"]["ritme"]
    url = compose_check.interpolate(compose_check.environment_of(ritme)["RITME_DATABASE_URL"])
    assert url == "postgresql+asyncpg://ritme:ritme@db:5432/ritme"
    assert Settings(_env_file=None, database_url=url).database_url == url  # type: ignore[call-arg]
    # The admin's own password reaches both services alike.
    chosen = compose_check.interpolate(compose_check.environment_of(ritme)["RITME_DATABASE_URL"],
                                       {"POSTGRES_PASSWORD": "s3cret"})
    assert chosen == "postgresql+asyncpg://ritme:s3cret@db:5432/ritme"
    assert compose_check.ritme_gets_the_database_url(_compose(), {"POSTGRES_PASSWORD": "s3cret"}) is None


BROKEN_COMPOSE = {
    "no PostgreSQL": (lambda c: c["services"].pop("db"), "no service runs PostgreSQL"),
    "PostgreSQL 15": (lambda c: c["services"]["db"].update(image="postgres:15"), "promises PostgreSQL 16"),
    "no database health check": (lambda c: c["services"]["db"].pop("healthcheck"), "has no healthcheck"),
    "data inside the container": (lambda c: c["services"]["db"].pop("volumes"), "keeps its data inside"),
    "data in a bind mount": (
        lambda c: c["services"]["db"].update(volumes=["./pg:/var/lib/postgresql/data"]), "not a named volume"),
    "Ritme starts before the database is healthy": (
        lambda c: c["services"]["ritme"].update(depends_on=["db"]), "does not wait for a healthy db"),
    "only started, not healthy": (
        lambda c: c["services"]["ritme"]["depends_on"]["db"].update(condition="service_started"),
        "does not wait for a healthy db"),
    "no .env": (lambda c: c["services"]["ritme"].pop("env_file"), "add env_file: .env"),
    "no database URL": (
        lambda c: c["services"]["ritme"]["environment"].pop("RITME_DATABASE_URL"), "gets no RITME_DATABASE_URL"),
    "the URL names another host": (
        lambda c: c["services"]["ritme"]["environment"].update(
            RITME_DATABASE_URL="postgresql+asyncpg://ritme:${POSTGRES_PASSWORD:-ritme}@localhost:5432/ritme"),
        "has host 'localhost' where db has 'db'"),
    "the URL without asyncpg": (
        lambda c: c["services"]["ritme"]["environment"].update(
            RITME_DATABASE_URL="postgresql://ritme:${POSTGRES_PASSWORD:-ritme}@db:5432/ritme"),
        "has driver 'postgresql'"),
    "the URL's password drifts from the database's": (
        lambda c: c["services"]["ritme"]["environment"].update(
            RITME_DATABASE_URL="postgresql+asyncpg://ritme:ritme@db:5432/ritme"),
        None),  # only visible when the admin sets POSTGRES_PASSWORD: checked below
    "no migration on start": (
        lambda c: c["services"]["ritme"]["environment"].update(RITME_MIGRATE_ON_START="false"),
        "does not migrate on start"),
    "a fixed host port on the replicas": (
        lambda c: c["services"]["ritme"].update(ports=["8080:8080"]), "publishes host port 8080"),
    "no proxy": (lambda c: c["services"].pop("proxy"), "no service publishes a port and forwards it to ritme:8080"),
    "Docker's default 10 s to stop": (
        lambda c: c["services"]["ritme"].pop("stop_grace_period"), "would SIGKILL it mid-drain"),
}


@pytest.mark.parametrize("case", sorted(case for case, (_, says) in BROKEN_COMPOSE.items() if says is not None))
def test_a_broken_promise_in_the_compose_file_is_caught(case: str) -> None:
    compose = copy.deepcopy(_compose())
    breaking, says = BROKEN_COMPOSE[case]
    breaking(compose)
    problems = compose_check.broken_promises(compose, SETTINGS_PORT, DRAIN_SECONDS)
    assert problems, f"{case}: the checker let it pass"
    assert any(says in problem for problem in problems if says), problems


def test_a_hard_coded_password_is_caught_once_the_admin_chooses_one() -> None:
    compose = copy.deepcopy(_compose())
    BROKEN_COMPOSE["the URL's password drifts from the database's"][0](compose)
    problem = compose_check.ritme_gets_the_database_url(compose, {"POSTGRES_PASSWORD": "s3cret"})
    assert problem is not None and "has password 'ritme' where db has 's3cret'" in problem


def test_the_proxy_forwards_to_the_replicas_on_the_settings_port() -> None:
    proxy = _compose()["services"]["proxy"]
    assert proxy["ports"] == [f"${{RITME_PUBLISHED_PORT:-{SETTINGS_PORT}}}:{SETTINGS_PORT}"]
    caddyfile = (COMPOSE_FILE.parent / "deploy" / "Caddyfile").read_text()
    assert "name ritme" in caddyfile and f"port {SETTINGS_PORT}" in caddyfile
