"""Every `govaudit …` command written in the README and in docs/ exists, and so does every flag it
is written with: a command or flag renamed or removed fails here until the text is corrected."""

import re
from pathlib import Path

import click
import pytest

from audit.cli import main

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

_FENCED = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
_INLINE = re.compile(r"`([^`\n]+)`")
# An invocation: at the start of a line or code span, after a path's "/", after "&&", ";", "|" or "$(",
# or after "=" (ExecStart=); not a word among others (createdb -O govaudit govaudit).
_COMMAND = re.compile(r"(?:^\s*|/|(?:&&|;|\||\$\()\s*|=)govaudit\s+([a-z][^\n|;&>#]*)", re.M)


def written_commands(text: str) -> list[str]:
    """The `govaudit …` commands in a Markdown text: each line of a fenced block, each inline code
    span; from the first word after `govaudit` to the end of the command (a pipe, `;`, `&&`, a
    redirection or a comment ends it)."""
    spans = [line for block in _FENCED.findall(text) for line in block.splitlines()]
    spans += _INLINE.findall(_FENCED.sub("", text))
    return [match.group(1).strip() for span in spans for match in _COMMAND.finditer(span)]


def unknown_words(command: str) -> list[str]:
    """What `command` (the words after `govaudit`) names that the CLI does not have: a command, a
    subcommand of a group, or a `--flag` of the command it runs."""
    words = [word.strip("[]()（），,") for word in command.split()]
    ctx = click.Context(main)
    current: click.Command = main
    path = []
    for word in words:
        if not isinstance(current, click.Group):
            break
        name = re.match(r"[a-z][a-z0-9-]*", word)
        if name is None:
            break
        word = name.group()
        found = current.get_command(ctx, word)
        if found is None:
            return [" ".join([*path, word])]
        path.append(word)
        current = found
    if isinstance(current, click.Group):
        return []
    flags = {opt for param in current.params for opt in (*param.opts, *param.secondary_opts)} | {"--help"}
    return [
        f"{' '.join(path)} {word}"
        for word in (word.split("=", 1)[0] for word in words)
        if word.startswith("--") and word not in flags
    ]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_documented_command_and_flag_exists(document):
    commands = written_commands(document.read_text("utf-8"))
    unknown = [(command, words) for command in commands if (words := unknown_words(command))]
    assert unknown == []


def test_the_readme_documents_commands():
    commands = written_commands((REPO / "README.md").read_text("utf-8"))
    named = {command.split()[0] for command in commands}
    assert {"demo", "run-quarterly", "history", "report", "show", "diff", "schedule", "rules"} <= named


def test_the_check_finds_what_no_longer_exists():
    text = (
        "```bash\ngovaudit audit http://x/ --as-of 2022-10-15 --no-such-flag 3   # 注释 --not-a-flag\n"
        "govaudit vanished --out x\n```\n"
        "用 `govaudit sites nosuch` 或 `govaudit media import a.csv --quarter 2022Q3 --sheet 2`；"
        "`govaudit report --all --quarter 2022Q3 | tee x --nothing`，`pip install 'govaudit[cluster]'`，"
        "`createdb -O govaudit govaudit`。\n"
    )
    commands = written_commands(text)
    assert [unknown_words(command) for command in commands] == [
        ["audit --no-such-flag"],
        ["vanished"],
        ["sites nosuch"],
        ["media import --sheet"],
        [],
    ]
    # Commands and flags that exist pass, wherever they are written.
    assert unknown_words("run-quarterly http://x/ [--quarter 2022Q3] [--force]") == []
    assert unknown_words("demo --serve [--port 8000]") == []
    assert written_commands(
        "```ini\nExecStart=/srv/govaudit/.venv/bin/govaudit run-quarterly http://x/ --quiet\n```"
    ) == ["run-quarterly http://x/ --quiet"]
