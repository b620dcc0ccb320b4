"""The image's install, rehearsed: the Dockerfile's own steps build wheels, install only those into a fresh virtual
environment, and the installed `ritme run` serves /healthz and /readyz, passes the image's HEALTHCHECK, and exits 0
on SIGTERM as `docker stop` sends it."""

from __future__ import annotations

import asyncio
import re
import signal
from pathlib import Path

import aiohttp
import pytest

from tests.container.dockerfile_promises import DOCKERFILE, parse
from tests.container.image_rehearsal import Rehearsal

pytestmark = pytest.mark.install

START_TIMEOUT = 30
# An idle Ritme has nothing to drain: it stops at once, well within Docker's grace period.
STOP_TIMEOUT = 10


async def _exit_code(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        *argv, env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def _started(process: asyncio.subprocess.Process, log: Path) -> str:
    """The URL `ritme run` says it serves at, once it says so."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_TIMEOUT
    while not (match := re.search(r"Ritme is running at (http://\S+)", said := await asyncio.to_thread(log.read_text))):
        if process.returncode is not None or loop.time() > deadline:
            raise AssertionError(f"ritme run did not start (exit {process.returncode}):\n{said}")
        await asyncio.sleep(0.1)
    return match.group(1)


async def test_the_images_install_steps_give_a_ritme_that_serves_and_stops_cleanly(tmp_path: Path) -> None:
    rehearsal = Rehearsal(parse(DOCKERFILE.read_text()), tmp_path / "image")
    await rehearsal.build()
    home = rehearsal.workdir()

    # It is the installed wheel that runs, with its migrations and pages, not this checkout's files.
    code, where = await _exit_code(
        [*rehearsal.command(["python"]), "-c", "import bot, storage; print(bot.__file__, storage.__file__)"],
        rehearsal.environment(), home,
    )
    assert code == 0 and where.count(str(rehearsal.venv / "lib")) == 2, where

    env = rehearsal.environment(
        # The image's 0.0.0.0 and /data would reach beyond this test: loopback, any free port, a file of its own.
        RITME_HOST="127.0.0.1", RITME_PORT="0", RITME_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/ritme.db",
    )
    log = tmp_path / "ritme.log"
    with log.open("wb") as output:
        # Output goes to a file: a pipe nobody reads would stall the server once its buffer fills.
        process = await asyncio.create_subprocess_exec(
            *rehearsal.entry_argv(), env=env, cwd=home, stdout=output, stderr=asyncio.subprocess.STDOUT
        )
    try:
        url = await _started(process, log)
        port = url.rsplit(":", 1)[1]
        async with aiohttp.ClientSession() as session:
            for path in ("/healthz", "/readyz"):
                async with session.get(url + path) as response:
                    assert (path, response.status, await response.json()) == (path, 200, {"ok": True})
            # The browser chat's page and the dashboard's stylesheet come from the wheel's package data.
            async with session.get(url + "/") as response:
                assert response.status == 200 and "<html" in (await response.text()).lower()
            async with session.get(url + "/dashboard/static/dashboard.css") as response:
                assert response.status == 200

        health = rehearsal.healthcheck_argv()
        assert await _exit_code(health, {**env, "RITME_PORT": port}, home) == (0, "")

        process.send_signal(signal.SIGTERM)
        try:
            returncode = await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
        except TimeoutError:
            said = await asyncio.to_thread(log.read_text)
            raise AssertionError(f"ritme run did not stop within {STOP_TIMEOUT} s of SIGTERM:\n{said}") from None
        assert returncode == 0, await asyncio.to_thread(log.read_text)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    # With nothing listening, the image's health check says unhealthy.
    code, _ = await _exit_code(health, {**env, "RITME_PORT": port}, home)
    assert code != 0
