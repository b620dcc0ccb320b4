"""The Dockerfile's install steps, repeated on this machine without Docker: its build stage's COPY and `pip wheel`
into a temporary directory, its final stage's `pip install` into a fresh virtual environment, then its ENV, entry
point and health check as the image would run them.

Paths inside the image map to directories under the rehearsal's root, one tree per stage, and a RUN --mount or
COPY --from of an earlier stage maps to that stage's tree. What cannot be repeated without root (creating the user,
chown) is skipped by name; any other step this rehearsal does not know stops it with a message, so a new step in
the Dockerfile is never silently left out.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.container.dockerfile_promises import (
    REPO_ROOT,
    Dockerfile,
    Instruction,
    Stage,
    mount_options,
)

# Steps of the final stage that set up the operating system's user and directories: they need root, and the
# promise tests check them (USER, no build tools); the rehearsal runs as whoever runs the tests.
SYSTEM_SETUP = frozenset({"useradd", "groupadd", "adduser", "addgroup", "mkdir", "chown", "chmod"})
# Whatever .dockerignore keeps out of the build context that could sit inside a copied package directory.
IGNORED_IN_CONTEXT = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
STEP_TIMEOUT = 240


class RehearsalError(RuntimeError):
    """A Dockerfile step that this rehearsal cannot repeat, or a step that failed."""


@dataclass
class StageTree:
    """One stage's file system under the rehearsal's root, and the earlier stages' paths mounted into it."""

    root: Path
    workdir: str = "/"
    mounts: dict[str, Path] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def host_path(self, path: str) -> Path:
        """Where an absolute or WORKDIR-relative path of the image lies on this machine."""
        absolute = path if path.startswith("/") else f"{self.workdir.rstrip('/')}/{path}"
        for mounted, host in sorted(self.mounts.items(), key=lambda item: -len(item[0])):
            if absolute == mounted or absolute.startswith(mounted + "/"):
                return host / absolute[len(mounted):].lstrip("/")
        return self.root / absolute.lstrip("/")

    def map_argument(self, word: str) -> str:
        """An argument with its image path (alone, or after --option=) replaced by the host path."""
        option, equals, value = word.partition("=")
        if equals and option.startswith("-") and value.startswith("/"):
            return f"{option}={self.host_path(value)}"
        if word.startswith("/") or word == ".":
            return str(self.host_path(word))
        return word


@dataclass
class Rehearsal:
    """The image rebuilt under `root`: the final stage's virtual environment, ENV, working directory, entry point."""

    dockerfile: Dockerfile
    root: Path
    log: list[str] = field(default_factory=list)
    trees: dict[int, StageTree] = field(default_factory=dict)

    @property
    def venv(self) -> Path:
        """The fresh virtual environment that stands in for the final stage's Python."""
        return self.root / "venv"

    async def build(self) -> None:
        """Repeat every stage's steps in order."""
        self.root.mkdir(parents=True, exist_ok=True)
        # Without pip of its own: this test's pip installs into it (pip --python), as the base image's pip would.
        await self._run([sys.executable, "-m", "venv", "--without-pip", str(self.venv)], env=dict(os.environ),
                        cwd=self.root)
        for stage in self.dockerfile.stages:
            await self._stage(stage)

    async def _stage(self, stage: Stage) -> None:
        final = stage is self.dockerfile.final
        tree = StageTree(root=self.root / f"stage-{stage.index}")
        tree.root.mkdir(parents=True)
        self.trees[stage.index] = tree
        for instruction in stage.instructions:
            if instruction.keyword == "WORKDIR":
                tree.workdir = instruction.arguments
                tree.host_path(".").mkdir(parents=True, exist_ok=True)
            elif instruction.keyword == "ENV":
                tree.env.update(Stage(base="", name=None, index=0, instructions=[instruction]).env)
            elif instruction.keyword == "COPY":
                self._copy(instruction, tree)
            elif instruction.keyword == "RUN":
                await self._run_instruction(instruction, tree, final=final)

    def _copy(self, instruction: Instruction, tree: StageTree) -> None:
        words = instruction.exec_form or instruction.arguments.split()
        *sources, target = words
        origin = instruction.flags.get("from")
        for source in sources:
            if origin is None:
                source_path = REPO_ROOT / source
            else:
                stage = self.dockerfile.stage(origin)
                if stage is None:
                    raise RehearsalError(f"line {instruction.line}: COPY --from={origin} names no earlier stage")
                source_path = self.trees[stage.index].host_path(source)
            into_directory = target.endswith("/") or len(sources) > 1
            destination = tree.host_path(target) / source_path.name if into_directory else tree.host_path(target)
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source_path.is_dir():
                shutil.copytree(source_path, destination, ignore=IGNORED_IN_CONTEXT, dirs_exist_ok=True)
            else:
                shutil.copy2(source_path, destination)

    async def _run_instruction(self, instruction: Instruction, tree: StageTree, *, final: bool) -> None:
        options = mount_options(instruction)
        mounts = dict(tree.mounts)
        if options:
            stage = self.dockerfile.stage(options.get("from", ""))
            if options.get("type", "bind") != "bind" or stage is None:
                raise RehearsalError(f"line {instruction.line}: only bind mounts of an earlier stage are repeated here")
            mounts[options["target"]] = self.trees[stage.index].host_path(options.get("source", "/"))
        step = StageTree(root=tree.root, workdir=tree.workdir, mounts=mounts, env=tree.env)
        argv = instruction.exec_form
        command = shlex.join(argv) if argv is not None else instruction.arguments
        for part in (part.strip() for part in command.split("&&")):
            words = shlex.split(part)
            if not words:
                continue
            if words[0] in SYSTEM_SETUP and final:
                self.log.append(f"skipped (needs root): {part}")
                continue
            if words[0] not in {"pip", "pip3"} or words[1:2] not in (["install"], ["wheel"]):
                raise RehearsalError(
                    f"line {instruction.line}: the rehearsal repeats pip steps only, not {part!r}; teach "
                    "tests/container/image_rehearsal.py this step or keep it out of the Dockerfile"
                )
            await self._pip(words[1:], step, final=final)

    async def _pip(self, arguments: list[str], tree: StageTree, *, final: bool) -> None:
        arguments = [tree.map_argument(word) for word in arguments]
        if final:
            # The image's pip sees no configuration but the Dockerfile's, so no index or link of this machine's
            # can make up for a wheel the build stage failed to make.
            env = _outside_settings_removed(os.environ)
            env.update(tree.env, PIP_CONFIG_FILE=os.devnull)
            # Byte-compiling only caches what is installed; skipping it saves most of the install's time here.
            subcommand, *rest = arguments
            no_compile = ["--no-compile"] if subcommand == "install" else []
            arguments = ["--python", str(self.venv / "bin" / "python"), subcommand, *no_compile, *rest]
        else:
            env = {**os.environ, **tree.env}
            # The builder may use pip's cache here: the wheels are the same, and the test takes seconds, not a minute.
            arguments = [word for word in arguments if word != "--no-cache-dir"]
            env.pop("PIP_NO_CACHE_DIR", None)
        await self._run([sys.executable, "-m", "pip", *arguments], env=env, cwd=tree.host_path("."))

    async def _run(self, argv: list[str], *, env: dict[str, str], cwd: Path) -> None:
        self.log.append(f"$ {shlex.join(argv)}")
        process = await asyncio.create_subprocess_exec(
            *argv, cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        try:
            output, _ = await asyncio.wait_for(process.communicate(), STEP_TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise RehearsalError(f"{shlex.join(argv)} took more than {STEP_TIMEOUT} s") from None
        if process.returncode != 0:
            raise RehearsalError(f"{shlex.join(argv)} failed ({process.returncode}):\n{output.decode()[-4000:]}")

    # --- Running the result as the image would.

    @property
    def final_tree(self) -> StageTree:
        """The final stage's file system."""
        return self.trees[self.dockerfile.final.index]

    def environment(self, **overrides: str) -> dict[str, str]:
        """The container's environment: this machine's PATH and locale, no RITME_* of its own, the image's ENV."""
        env = _outside_settings_removed(os.environ)
        env.update(self.final_tree.env)
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env.update(overrides)
        return env

    def command(self, argv: list[str]) -> list[str]:
        """An image command with its program found in the rehearsal's virtual environment, as PATH does in the image."""
        program = self.venv / "bin" / argv[0]
        if not program.exists():
            raise RehearsalError(f"{argv[0]} is not installed in the image's Python ({program} is missing)")
        return [str(program), *argv[1:]]

    def entry_argv(self) -> list[str]:
        """ENTRYPOINT then CMD, in exec form, with the program from the virtual environment."""
        final = self.dockerfile.final
        argv: list[str] = []
        for keyword in ("ENTRYPOINT", "CMD"):
            instruction = final.last(keyword)
            if instruction is not None:
                words = instruction.exec_form
                if words is None:
                    raise RehearsalError(f"line {instruction.line}: {keyword} is in shell form; write a JSON array")
                argv.extend(words)
        return self.command(argv)

    def healthcheck_argv(self) -> list[str]:
        """The HEALTHCHECK's command, in exec form, with its program from the virtual environment."""
        check = self.dockerfile.final.last("HEALTHCHECK")
        if check is None or not check.arguments.upper().startswith("CMD"):
            raise RehearsalError("the final stage has no HEALTHCHECK CMD to run")
        words = Instruction("CMD", {}, check.arguments[3:].strip(), check.line).exec_form
        if words is None:
            raise RehearsalError(f"line {check.line}: the HEALTHCHECK is in shell form; this rehearsal runs exec form")
        return self.command(words)

    def workdir(self) -> Path:
        """The final stage's working directory, created as the image would have it."""
        path = self.final_tree.host_path(".")
        path.mkdir(parents=True, exist_ok=True)
        return path


def _outside_settings_removed(environment: Mapping[str, str]) -> dict[str, str]:
    """This machine's environment without what would steer the image's Python, pip or Ritme from outside it."""
    return {key: value for key, value in environment.items() if not key.startswith(("RITME_", "PIP_", "PYTHON"))}
