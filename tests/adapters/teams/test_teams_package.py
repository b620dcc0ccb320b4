"""`ritme teams-package` as an admin runs it: the installed command writes a zip Teams accepts, or says what is missing.

The manifest is validated against Microsoft's published schema for the version it targets (vendored in schema/,
with a note on where it came from), and the icons are read back from their PNG headers and pixels.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from adapters.teams.app_package import MAX_COMMANDS, MAX_DESCRIPTION, MAX_TITLE
from rituals.commands import CommandError, parse

REPO_ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = Path(__file__).resolve().parent / "schema"
APP_ID = "3F2504E0-4F89-11D3-9A0C-0305E82C3301"
SECRET = "s3cret~client~value"


def run_ritme(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed `ritme` (or the module, in a bare checkout) in `tmp_path`, with no RITME_* but `env`."""
    script = Path(sys.executable).parent / "ritme"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("RITME_")}
    environment["PYTHONPATH"] = str(REPO_ROOT)  # for a checkout that is not installed
    environment.update(env or {})
    # cwd is tmp_path so that no .env of the developer's is read.
    return subprocess.run([*command, "teams-package", *args], cwd=tmp_path, env=environment,
                          capture_output=True, text=True, timeout=60, check=False)


def schema(name: str, version: str) -> dict[str, Any]:
    """A vendored Teams schema by file name and manifest version."""
    path = SCHEMAS / f"v{version}" / name
    assert path.exists(), f"no vendored schema for manifest version {version}: add {path.relative_to(REPO_ROOT)}"
    return json.loads(path.read_text(encoding="utf-8"))


def schema_errors(document: dict[str, Any], against: dict[str, Any]) -> list[str]:
    """Every way `document` breaks the schema, each as `path: message`."""
    assert against["$schema"] == "http://json-schema.org/draft-04/schema#"
    errors = Draft4Validator(against).iter_errors(document)
    # Messages are cut short: a property name that matches none of the localization patterns lists them all.
    return [f"{'/'.join(str(part) for part in error.absolute_path)}: {error.message[:300]}" for error in errors]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, which must come first."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def rgba_pixels(data: bytes) -> list[tuple[int, int, int, int]]:
    """The pixels of an 8-bit RGBA PNG with unfiltered scanlines, as Ritme writes them."""
    width, height = png_size(data)
    bit_depth, colour_type = data[24], data[25]
    assert (bit_depth, colour_type) == (8, 6), "expected 8-bit RGBA"
    idat, position = b"", 8
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        assert struct.unpack(">I", data[position + 8 + length : position + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 4 + 1
    assert len(raw) == stride * height and all(raw[y * stride] == 0 for y in range(height))
    rows = [raw[y * stride + 1 : (y + 1) * stride] for y in range(height)]
    return [(row[x], row[x + 1], row[x + 2], row[x + 3]) for row in rows for x in range(0, len(row), 4)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    """One package built the way the README says, with the settings an admin has set."""
    tmp_path = tmp_path_factory.mktemp("teams-package")
    result = run_ritme(tmp_path, "--domain", "ritme.example.org",
                       env={"RITME_TEAMS_APP_ID": APP_ID, "RITME_TEAMS_APP_PASSWORD": SECRET})
    return result, tmp_path / "ritme-teams.zip"


def test_the_package_is_written_and_says_where_without_the_secret(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, zip_path = built
    assert result.returncode == 0, result.stderr
    assert zip_path.exists() and "ritme-teams.zip" in result.stdout and "Upload" in result.stdout
    assert SECRET not in result.stdout + result.stderr
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.testzip() is None
        # Teams reads the files from the zip's root; a folder in between makes the upload fail.
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "nl.json", "outline.png"]
        assert not any(SECRET.encode() in archive.read(name) for name in archive.namelist())


def test_the_manifest_is_valid_for_the_schema_version_it_names(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, zip_path = built
    with zipfile.ZipFile(zip_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    version = manifest["manifestVersion"]
    assert manifest["$schema"] == f"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"
    teams_schema = schema("MicrosoftTeams.schema.json", version)
    assert schema_errors(manifest, teams_schema) == []
    # Draft-04 has no `const`, so the validator above skips the schema's own check of manifestVersion.
    assert teams_schema["properties"]["manifestVersion"]["const"] == version

    assert manifest["id"] == APP_ID.lower()
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID.lower()
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is False and bot["isNotificationOnly"] is False
    assert manifest["permissions"] == ["identity", "messageTeamMembers"]
    assert manifest["validDomains"] == ["ritme.example.org"]
    assert manifest["developer"]["websiteUrl"] == "https://ritme.example.org/"
    assert manifest["name"]["short"] == "Ritme"
    assert "webApplicationInfo" not in manifest  # no sign-in: the bot's own registration is all Ritme needs


def test_every_command_in_the_menus_is_one_ritme_understands(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, zip_path = built
    with zipfile.ZipFile(zip_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    lists = manifest["bots"][0]["commandLists"]
    assert sorted(scope for entry in lists for scope in entry["scopes"]) == ["groupChat", "personal", "team"]
    today = date.today()
    for entry in lists:
        titles = [command["title"] for command in entry["commands"]]
        assert 0 < len(titles) <= MAX_COMMANDS and len(set(titles)) == len(titles)
        assert "help" in titles
        for command in entry["commands"]:
            assert len(command["title"]) <= MAX_TITLE, command
            assert 0 < len(command["description"]) <= MAX_DESCRIPTION, command
            # Picking a title puts it after @Ritme: Ritme must know it, though it may then ask for a value.
            try:
                parse(command["title"], today)
            except CommandError as error:
                assert error.key not in ("error.unknown_command", "error.unknown_subcommand"), command
            # An example in a description is a whole command and must work exactly as shown.
            for example in re.findall(r"e\.g\. (.+)$", command["description"]):
                parse(example, today)
    team = next(entry for entry in lists if entry["scopes"] == ["team"])
    assert {"standup create", "standup list", "standup run", "me"} <= {c["title"] for c in team["commands"]}


def test_the_dutch_strings_are_valid_and_match_the_manifest(
    built: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, zip_path = built
    with zipfile.ZipFile(zip_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        dutch = json.loads(archive.read("nl.json"))
    version = manifest["manifestVersion"]
    assert manifest["localizationInfo"] == {
        "defaultLanguageTag": "en-us",
        "additionalLanguages": [{"languageTag": "nl-nl", "file": "nl.json"}],
    }
    # Teams requires a language file of the same schema version as the manifest.
    assert dutch["$schema"] == (
        f"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.Localization.schema.json"
    )
    localization_schema = schema("MicrosoftTeams.Localization.schema.json", version)
    assert schema_errors(dutch, localization_schema) == []
    # Draft-04 ignores keywords beside a $ref, and the schema puts the name and description limits there.
    for key, limit in (("name.short", 30), ("name.full", 100), ("description.short", 80), ("description.full", 4000)):
        assert 0 < len(dutch[key]) <= limit, key
        assert localization_schema["properties"][key]["maxLength"] == limit
    assert dutch["name.short"] == "Ritme" and "rituelen" in dutch["description.short"].lower()

    lists = manifest["bots"][0]["commandLists"]
    described = {key: text for key, text in dutch.items() if key.startswith("bots[")}
    expected = {
        f"bots[0].commandLists[{i}].commands[{j}].description"
        for i, entry in enumerate(lists) for j in range(len(entry["commands"]))
    }
    assert set(described) == expected  # every command has a Dutch description, and none points past the lists
    for key, text in described.items():
        assert 0 < len(text) <= MAX_DESCRIPTION, key
        indices = [int(number) for number in re.findall(r"\[(\d+)\]", key)]
        english = lists[indices[1]]["commands"][indices[2]]["description"]
        assert text != english, key
        # The example command stays the same in both languages: Ritme's commands are the same words.
        assert re.findall(r"e\.g\. (.+)$", english) == re.findall(r"bijv\. (.+)$", text), key


def test_the_icons_have_the_sizes_teams_requires(built: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, zip_path = built
    with zipfile.ZipFile(zip_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        color = archive.read(manifest["icons"]["color"])
        outline = archive.read(manifest["icons"]["outline"])
    assert png_size(color) == (192, 192)
    assert png_size(outline) == (32, 32)

    # The colour icon: an opaque background in the accent colour, with a white mark on it.
    colour_pixels = rgba_pixels(color)
    accent = tuple(int(manifest["accentColor"][i : i + 2], 16) for i in (1, 3, 5))
    assert all(alpha == 255 for *_, alpha in colour_pixels)
    assert colour_pixels[0][:3] == accent and colour_pixels[-1][:3] == accent
    assert sum(pixel[:3] == (255, 255, 255) for pixel in colour_pixels) > 500

    # The outline icon: white only, on a transparent background, with a visible shape.
    outline_pixels = rgba_pixels(outline)
    assert all(pixel[:3] == (255, 255, 255) for pixel in outline_pixels if pixel[3])
    transparent = sum(pixel[3] == 0 for pixel in outline_pixels)
    opaque = sum(pixel[3] == 255 for pixel in outline_pixels)
    assert transparent > 32 * 32 // 2 and opaque > 40
    assert outline_pixels[0][3] == 0  # the corners are see-through


def test_without_an_app_id_it_says_what_to_set_and_writes_nothing(tmp_path: Path) -> None:
    result = run_ritme(tmp_path, "--domain", "ritme.example.org")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "RITME_TEAMS_APP_ID" in lines[0] and "--app-id" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "ritme-teams.zip").exists()


def test_a_wrong_app_id_is_refused_without_repeating_it(tmp_path: Path) -> None:
    # The usual slip: the client secret pasted where the app id belongs. It must not end up on screen or in a log.
    result = run_ritme(tmp_path, "--domain", "ritme.example.org",
                       env={"RITME_TEAMS_APP_ID": SECRET, "RITME_TEAMS_APP_PASSWORD": SECRET})
    assert result.returncode == 2
    assert "RITME_TEAMS_APP_ID" in result.stderr and "GUID" in result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert not (tmp_path / "ritme-teams.zip").exists()


def test_options_set_the_app_id_output_and_publisher(tmp_path: Path) -> None:
    options = [
        "--app-id", APP_ID, "--output", "out/teams.zip", "--domain", "https://chat.example.com/api/messages",
        "--developer-name", "Example B.V.", "--website-url", "https://example.com",
        "--privacy-url", "https://example.com/privacy", "--terms-url", "https://example.com/terms",
        "--app-version", "1.2.3",
    ]
    result = run_ritme(tmp_path, *options)
    assert result.returncode == 2 and "out/teams.zip" in result.stderr  # the folder does not exist: said, not raised
    (tmp_path / "out").mkdir()
    result = run_ritme(tmp_path, *options)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "teams.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert schema_errors(manifest, schema("MicrosoftTeams.schema.json", manifest["manifestVersion"])) == []
    assert manifest["bots"][0]["botId"] == APP_ID.lower() and manifest["version"] == "1.2.3"
    assert manifest["validDomains"] == ["chat.example.com"]
    assert manifest["developer"] == {
        "name": "Example B.V.",
        "websiteUrl": "https://example.com",
        "privacyUrl": "https://example.com/privacy",
        "termsOfUseUrl": "https://example.com/terms",
    }


def test_the_same_settings_give_the_same_zip(tmp_path: Path) -> None:
    first = run_ritme(tmp_path, "--app-id", APP_ID, "--domain", "ritme.example.org", "--output", "a.zip")
    second = run_ritme(tmp_path, "--app-id", APP_ID, "--domain", "ritme.example.org", "--output", "b.zip")
    assert first.returncode == second.returncode == 0
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--app-id", APP_ID], "--domain"),
        (["--app-id", APP_ID, "--domain", "not a host"], "--domain"),
        (["--app-id", APP_ID, "--domain", "ritme.example.org", "--app-version", "v2"], "--app-version"),
        (["--app-id", APP_ID, "--domain", "ritme.example.org", "--privacy-url", "privacy.html"], "--privacy-url"),
    ],
)
def test_bad_options_are_named_in_one_line(tmp_path: Path, args: list[str], expected: str) -> None:
    result = run_ritme(tmp_path, *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in result.stderr
