"""A small Dockerfile reader and the image's promises, checked without a Docker engine.

The reader knows the instructions Ritme's Dockerfile uses (FROM ... AS, ENV, RUN with --mount, COPY --from, USER,
WORKDIR, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD, STOPSIGNAL) in Docker's own syntax: `#` comment lines, `\\`
continuations, exec form (a JSON array) or shell form. Each promise is a function of the parsed file that returns
what is wrong in words, or None; the tests feed them both the real Dockerfile and broken copies of it.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO_ROOT / "Dockerfile"

# What compiles or only builds: none of it belongs in the image that runs Ritme.
BUILD_PACKAGES = re.compile(
    r"^(gcc(-\d+)?|g\+\+(-\d+)?|cpp|clang(-\d+)?|make|cmake|build-essential|build-base|musl-dev|libc6?-dev|"
    r"python3?(\.\d+)?-dev|[\w.+-]+-dev|[\w.+-]+-devel|rustc|cargo|git|autoconf|automake|libtool|pkg-config|pkgconf)$"
)
BUILD_ONLY_PYTHON = frozenset(
    {"setuptools", "wheel", "build", "cython", "maturin", "poetry", "poetry-core", "hatchling", "flit", "pip-tools",
     "scikit-build", "scikit-build-core", "meson-python", "pybind11"}
)


class DockerfileError(ValueError):
    """The text is not a Dockerfile this reader understands."""


@dataclass(frozen=True)
class Instruction:
    """One instruction: its keyword, its --flags, and what follows them (raw text, or a list in exec form)."""

    keyword: str
    flags: dict[str, str]
    arguments: str
    line: int

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form instruction (CMD ["ritme", "run"]), or None for shell form."""
        if not self.arguments.startswith("["):
            return None
        try:
            value = json.loads(self.arguments)
        except json.JSONDecodeError:
            return None  # Docker, too, runs a malformed array as a shell command
        return value if isinstance(value, list) and all(isinstance(item, str) for item in value) else None


@dataclass
class Stage:
    """A FROM and the instructions up to the next FROM."""

    base: str
    name: str | None
    index: int
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        """This stage's instructions of one kind, in order."""
        return [instruction for instruction in self.instructions if instruction.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        """The instruction of this kind that takes effect (the last one), if any."""
        found = self.all(keyword)
        return found[-1] if found else None

    @property
    def env(self) -> dict[str, str]:
        """Environment variables set by this stage's ENV instructions (both KEY=value and the old KEY value form)."""
        values: dict[str, str] = {}
        for instruction in self.all("ENV"):
            words = shlex.split(instruction.arguments)
            if words and "=" not in words[0]:
                values[words[0]] = instruction.arguments.split(None, 1)[1].strip() if len(words) > 1 else ""
                continue
            for word in words:
                key, separator, value = word.partition("=")
                if not separator:
                    raise DockerfileError(f"line {instruction.line}: ENV {word!r} has no value; write {key}=value")
                values[key] = value
        return values

    def shell_commands(self) -> list[tuple[Instruction, str]]:
        """Each RUN with its command as the shell would get it (exec form joined)."""
        commands = []
        for instruction in self.all("RUN"):
            argv = instruction.exec_form
            commands.append((instruction, shlex.join(argv) if argv is not None else instruction.arguments))
        return commands


@dataclass
class Dockerfile:
    """The stages of a Dockerfile; the last one is the image that runs."""

    stages: list[Stage]

    @property
    def final(self) -> Stage:
        """The stage `docker build` produces when no --target is given."""
        return self.stages[-1]

    def stage(self, reference: str) -> Stage | None:
        """The earlier stage a --from names, by AS name or by index."""
        for stage in self.stages:
            if stage.name == reference.lower() or reference == str(stage.index):
                return stage
        return None


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join `\\` continuations and drop comment and blank lines; each line keeps the number it started on."""
    lines: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#") or (not stripped and not pending):
            continue  # comments may sit inside a continued instruction, as in Docker
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending.append(stripped[:-1].strip())
            continue
        pending.append(stripped)
        lines.append((start, " ".join(part for part in pending if part)))
        pending = []
    if pending:
        raise DockerfileError(f"line {start}: the file ends inside a continued instruction (a trailing \\)")
    return lines


def parse(text: str) -> Dockerfile:
    """Read a Dockerfile's text into stages and instructions."""
    stages: list[Stage] = []
    for number, line in _logical_lines(text):
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        if "<<" in rest and keyword in {"RUN", "COPY"}:
            raise DockerfileError(f"line {number}: heredocs (<<EOF) are not read here; write the command inline")
        flags: dict[str, str] = {}
        rest = rest.strip()
        while rest.startswith("--"):
            flag, _, rest = rest.partition(" ")
            name, _, value = flag[2:].partition("=")
            # RUN may carry several --mount flags; Ritme's uses one, and a second would shadow the first here.
            if name in flags:
                raise DockerfileError(f"line {number}: --{name} given twice; this reader keeps one of each flag")
            flags[name] = value
            rest = rest.strip()
        if keyword == "FROM":
            words = rest.split()
            if len(words) == 3 and words[1].upper() == "AS":
                stages.append(Stage(base=words[0], name=words[2].lower(), index=len(stages)))
            elif len(words) == 1:
                stages.append(Stage(base=words[0], name=None, index=len(stages)))
            else:
                raise DockerfileError(
                    f"line {number}: FROM takes an image and an optional AS name: FROM python:3.11-slim AS build"
                )
            continue
        if keyword == "ARG" and not stages:
            continue  # an ARG before the first FROM only parameterizes FROM lines
        if not stages:
            raise DockerfileError(f"line {number}: {keyword} before the first FROM; start with FROM python:3.11-slim")
        stages[-1].instructions.append(Instruction(keyword, flags, rest, number))
    if not stages:
        raise DockerfileError("no FROM line: a Dockerfile starts with one, e.g. FROM python:3.11-slim")
    return Dockerfile(stages)


def mount_options(instruction: Instruction) -> dict[str, str]:
    """The key=value options of a RUN's --mount flag (type=bind,from=build,source=/wheels,target=/wheels)."""
    mount = instruction.flags.get("mount")
    if not mount:
        return {}
    return dict(part.partition("=")[::2] for part in mount.split(","))


# --- What the final stage installs and how it gets it.


@dataclass(frozen=True)
class PipCall:
    """One `pip install` or `pip wheel` inside a RUN: its arguments after the subcommand."""

    instruction: Instruction
    subcommand: str
    arguments: list[str]

    def option(self, *names: str) -> str | None:
        """The value of an option given as --name=value or --name value (or None when absent)."""
        for index, word in enumerate(self.arguments):
            for name in names:
                if word.startswith(name + "="):
                    return word.split("=", 1)[1]
                if word == name and index + 1 < len(self.arguments):
                    return self.arguments[index + 1]
        return None

    def has(self, name: str) -> bool:
        """Whether a flag without a value is given."""
        return name in self.arguments

    @property
    def requirements(self) -> list[str]:
        """What is installed: the words that are neither options nor option values."""
        takes_value = {"--find-links", "-f", "--wheel-dir", "-w", "--index-url", "-i", "--extra-index-url", "-r",
                       "--requirement", "-c", "--constraint", "--target", "-t", "--prefix", "--root"}
        names, skip = [], False
        for word in self.arguments:
            if skip:
                skip = False
            elif word in takes_value:
                skip = True
            elif not word.startswith("-"):
                names.append(word)
        return names


def pip_calls(stage: Stage) -> list[PipCall]:
    """Every `pip install`/`pip wheel` (also `python -m pip ...`) in the stage's RUN commands, split at && and ;."""
    calls = []
    for instruction, command in stage.shell_commands():
        for part in re.split(r"&&|;|\|\|", command):
            words = shlex.split(part)
            for index, word in enumerate(words):
                is_pip = re.fullmatch(r"(.*/)?pip3?(\.\d+)?", word) or (
                    word == "pip" and index >= 2 and words[index - 1] == "-m"
                )
                if is_pip and index + 1 < len(words) and words[index + 1] in {"install", "wheel"}:
                    calls.append(PipCall(instruction, words[index + 1], words[index + 2:]))
                    break
    return calls


def system_installs(stage: Stage) -> list[tuple[Instruction, str]]:
    """Each package a RUN installs with apt-get, apt, apk, yum, dnf or microdnf."""
    managers = {"apt-get": "install", "apt": "install", "yum": "install", "dnf": "install", "microdnf": "install",
                "apk": "add"}
    found: list[tuple[Instruction, str]] = []
    for instruction, command in stage.shell_commands():
        for part in re.split(r"&&|;|\|\|", command):
            words = shlex.split(part)
            for index, word in enumerate(words):
                verb = managers.get(word.rsplit("/", 1)[-1])
                if verb is None or verb not in words[index + 1:]:
                    continue
                after_verb = words[words.index(verb, index + 1) + 1:]
                found.extend((instruction, package) for package in after_verb if not package.startswith("-"))
                break
    return found


@dataclass(frozen=True)
class Brought:
    """A directory of the final stage that holds an earlier stage's files: that stage, and the path there."""

    stage: Stage
    path: str

    def built_by_pip_wheel(self) -> bool:
        """Whether that stage's `pip wheel --wheel-dir` writes the wheels to this path."""
        return any(call.subcommand == "wheel" and (call.option("--wheel-dir", "-w") or "").rstrip("/") == self.path
                   for call in pip_calls(self.stage))


def brought_from_earlier_stages(dockerfile: Dockerfile) -> dict[str, Brought]:
    """The final stage's paths filled from earlier stages (COPY --from, RUN --mount=type=bind,from=...)."""
    final = dockerfile.final
    brought: dict[str, Brought] = {}
    for instruction in final.all("COPY"):
        stage = dockerfile.stage(instruction.flags.get("from", ""))
        if stage is not None:
            *paths, target = instruction.exec_form or instruction.arguments.split()
            for path in paths:
                brought[target.rstrip("/")] = Brought(stage, path.rstrip("/"))
    for instruction in final.all("RUN"):
        options = mount_options(instruction)
        stage = dockerfile.stage(options.get("from", ""))
        if options.get("type", "bind") == "bind" and stage is not None:
            brought[options.get("target", "").rstrip("/")] = Brought(stage, options.get("source", "/").rstrip("/"))
    return brought


# --- The promises. Each returns None when kept, else what is wrong.


def _python_version(base: str) -> tuple[int, int] | None:
    """(3, 11) for python:3.11-slim and its spellings (docker.io/library/..., a patch version, @sha256:...)."""
    match = re.fullmatch(r"(?:(?:docker\.io/)?library/)?python:(\d+)\.(\d+)(?:\.\d+)?(-[\w.-]+)?(?:@sha256:[0-9a-f]+)?",
                         base)
    return (int(match.group(1)), int(match.group(2))) if match else None


def slim_python_base(dockerfile: Dockerfile) -> str | None:
    """The running image starts from the official slim Python, 3.11 or newer."""
    base = dockerfile.final.base
    version = _python_version(base)
    if version is None:
        return f"the final stage is built FROM {base}, not the official Python image; use FROM python:3.11-slim"
    if version < (3, 11):
        return f"the final stage's Python is {version[0]}.{version[1]}; Ritme needs 3.11 or newer: python:3.11-slim"
    if "-slim" not in base:
        return f"the final stage is built FROM {base}, which carries compilers; use the slim variant: python:3.11-slim"
    return None


def builder_matches_runtime(dockerfile: Dockerfile) -> str | None:
    """The wheels are built by the same Python as runs them, so compiled wheels (asyncpg's) fit its ABI."""
    runtime = _python_version(dockerfile.final.base)
    for target, brought in brought_from_earlier_stages(dockerfile).items():
        if brought.built_by_pip_wheel() and _python_version(brought.stage.base) != runtime:
            return (f"the wheels in {target} are built FROM {brought.stage.base} but run on {dockerfile.final.base}; "
                    "build them on the same Python, e.g. both FROM python:3.11-slim")
    return None


def runs_as_non_root(dockerfile: Dockerfile) -> str | None:
    """The final stage switches to a user other than root before the entry point runs."""
    user = dockerfile.final.last("USER")
    if user is None:
        return "the final stage never sets USER, so Ritme would run as root; add e.g. USER 10001:10001"
    name = user.arguments.split(":", 1)[0].strip()
    if name in {"root", "0"}:
        return f"line {user.line}: USER {user.arguments} runs Ritme as root; create a user and use it: USER 10001:10001"
    return None


def no_build_tools(dockerfile: Dockerfile) -> str | None:
    """Nothing that compiles or only builds packages is installed in the final stage."""
    for instruction, package in system_installs(dockerfile.final):
        bare = package.split("=", 1)[0]
        if BUILD_PACKAGES.fullmatch(bare):
            return (f"line {instruction.line}: the final stage installs {bare}, a build tool; build in the build "
                    "stage and copy wheels: COPY --from=build /wheels /wheels")
    for call in pip_calls(dockerfile.final):
        for requirement in call.requirements:
            bare = re.split(r"[<>=!~\[;@ ]", requirement, maxsplit=1)[0].lower()
            if bare in BUILD_ONLY_PYTHON:
                return (f"line {call.instruction.line}: the final stage installs {bare}, which only builds packages; "
                        "build wheels in the build stage instead")
    return None


def installs_only_built_wheels(dockerfile: Dockerfile) -> str | None:
    """The final stage installs Ritme from the build stage's wheels alone: no index, no source tree, no pip cache."""
    example = "pip install --no-cache-dir --no-index --find-links=/wheels ritme"
    final = dockerfile.final
    brought = brought_from_earlier_stages(dockerfile)
    installs = [call for call in pip_calls(final) if call.subcommand == "install"]
    if not installs:
        return f"the final stage installs nothing with pip; install the built wheels: {example}"
    no_cache = final.env.get("PIP_NO_CACHE_DIR", "").lower() in {"1", "true", "yes", "on"}
    for call in installs:
        line = call.instruction.line
        if not call.has("--no-index"):
            return f"line {line}: pip install may fetch from an index, not only the built wheels; write {example}"
        links = (call.option("--find-links", "-f") or "").rstrip("/")
        if links not in brought:
            return (f"line {line}: pip install looks for wheels in {links or 'no --find-links'}, which holds nothing "
                    f"from the build stage; mount or COPY --from=build the wheel directory and write {example}")
        if not brought[links].built_by_pip_wheel():
            return (f"line {line}: no earlier stage builds the wheels in {links}; in the build stage write "
                    f"pip wheel --no-cache-dir --wheel-dir {brought[links].path} .")
        if not (call.has("--no-cache-dir") or no_cache):
            return f"line {line}: pip keeps its download cache in the image; add --no-cache-dir: {example}"
    if not any("ritme" in (requirement.lower() for requirement in call.requirements) for call in installs):
        return f"no pip install in the final stage installs ritme itself; write {example}"
    return None


def healthcheck_hits_healthz(dockerfile: Dockerfile, port: int) -> str | None:
    """A HEALTHCHECK asks this container's /healthz on the port Ritme listens on."""
    final = dockerfile.final
    check = final.last("HEALTHCHECK")
    example = "HEALTHCHECK CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen(...)\"]"
    if check is None:
        return f"the final stage has no HEALTHCHECK; add one that asks /healthz: {example}"
    if check.arguments.upper() == "NONE":
        return f"line {check.line}: HEALTHCHECK NONE turns the health check off; ask /healthz: {example}"
    if not check.arguments.upper().startswith("CMD"):
        return f"line {check.line}: a HEALTHCHECK needs CMD and a command: {example}"
    command = check.arguments[3:].strip()
    argv = Instruction("CMD", {}, command, check.line).exec_form
    text = " ".join(argv) if argv is not None else command
    if "/healthz" not in text or not re.search(r"//(127\.0\.0\.1|localhost)\b", text):
        return f"line {check.line}: the HEALTHCHECK does not ask http://127.0.0.1:<port>/healthz; {example}"
    if literal := re.search(r":(\d+)/healthz", text):
        asked = int(literal.group(1))
    elif "RITME_PORT" in text:
        asked = int(final.env.get("RITME_PORT", port))
    else:
        return f"line {check.line}: the HEALTHCHECK names no port; use RITME_PORT or {port}"
    if asked != port:
        return f"line {check.line}: the HEALTHCHECK asks port {asked}, but Ritme listens on {port}"
    return None


def exposes_the_settings_port(dockerfile: Dockerfile, port: int) -> str | None:
    """EXPOSE names the port Ritme listens on, and the image listens on every interface, not just loopback."""
    final = dockerfile.final
    exposed = {
        int(word.split("/", 1)[0]) for instruction in final.all("EXPOSE") for word in instruction.arguments.split()
    }
    if port not in exposed:
        shown = ", ".join(str(number) for number in sorted(exposed)) or "nothing"
        return f"the final stage exposes {shown}, but Ritme listens on {port} (bot.settings); write EXPOSE {port}"
    env = final.env
    if env.get("RITME_PORT", str(port)) != str(port):
        return f"ENV RITME_PORT={env['RITME_PORT']} moves Ritme off the exposed port {port}; set RITME_PORT={port}"
    if env.get("RITME_HOST") != "0.0.0.0":
        return (f"RITME_HOST is {env.get('RITME_HOST', 'unset (127.0.0.1)')}, so nothing outside the container can "
                "connect; set ENV RITME_HOST=0.0.0.0")
    return None


def entry_runs_ritme_run(dockerfile: Dockerfile) -> str | None:
    """The container's command is `ritme run`, in exec form so SIGTERM reaches Ritme rather than a shell."""
    final = dockerfile.final
    entrypoint, cmd = final.last("ENTRYPOINT"), final.last("CMD")
    argv: list[str] = []
    for instruction in (entrypoint, cmd):
        if instruction is None:
            continue
        words = instruction.exec_form
        if words is None:
            return (f"line {instruction.line}: {instruction.keyword} in shell form runs under /bin/sh, which does "
                    f"not pass SIGTERM on; write {instruction.keyword} as a JSON array: ENTRYPOINT [\"ritme\"]")
        argv.extend(words)
    if argv[:2] != ["ritme", "run"]:
        return (f"the container runs {argv or 'nothing of its own'}, not ritme run; write "
                'ENTRYPOINT ["ritme"] and CMD ["run"]')
    stop = final.last("STOPSIGNAL")
    if stop is not None and stop.arguments.upper() not in {"SIGTERM", "TERM", "15"}:
        return f"line {stop.line}: STOPSIGNAL {stop.arguments}; Ritme drains on SIGTERM: STOPSIGNAL SIGTERM"
    return None


def broken_promises(text: str, port: int) -> list[str]:
    """Every promise the Dockerfile text breaks, in words (an empty list when it keeps them all)."""
    dockerfile = parse(text)
    problems = [
        slim_python_base(dockerfile),
        builder_matches_runtime(dockerfile),
        runs_as_non_root(dockerfile),
        no_build_tools(dockerfile),
        installs_only_built_wheels(dockerfile),
        healthcheck_hits_healthz(dockerfile, port),
        exposes_the_settings_port(dockerfile, port),
        entry_runs_ritme_run(dockerfile),
    ]
    return [problem for problem in problems if problem is not None]


# --- The build context (.dockerignore).

DOCKERIGNORE = REPO_ROOT / ".dockerignore"
# What must never be sent to the Docker daemon: history, local environments and databases, secrets, tests.
KEPT_OUT = (".git", ".venv", "tests", ".env", "ritme.db", "bot/__pycache__", ".pytest_cache", ".mypy_cache")


def ignored(patterns: list[str], path: str) -> bool:
    """Whether .dockerignore's patterns keep `path` out of the build context (the last matching line decides, a
    leading ! lets a path back in, **/ matches any depth, and a directory's exclusion covers what is inside it)."""
    verdict = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.removeprefix("!").strip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(.*/)?").replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if re.fullmatch(f"{regex}(/.*)?", path):
            verdict = not negated
    return verdict


def dockerignore_patterns(text: str) -> list[str]:
    """The pattern lines of a .dockerignore (comments and blank lines dropped)."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def context_keeps_secrets_out_and_sources_in(dockerfile: Dockerfile, dockerignore: str) -> str | None:
    """The build context leaves out history, environments, databases and tests, but keeps what COPY needs."""
    patterns = dockerignore_patterns(dockerignore)
    for path in KEPT_OUT:
        if not ignored(patterns, path):
            return f"{path} would go into the build context; add it to .dockerignore"
    for stage in dockerfile.stages:
        for instruction in stage.all("COPY"):
            if "from" in instruction.flags:
                continue
            *sources, _target = instruction.exec_form or instruction.arguments.split()
            for source in sources:
                if ignored(patterns, source.strip("/")):
                    return f"line {instruction.line}: COPY {source} finds nothing, .dockerignore leaves it out"
    return None
