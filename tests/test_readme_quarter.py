"""The README's quarter, walked as a clerk would: the sample portal served by `govaudit demo --serve`
and, in an empty folder, every command of the fenced block in the README's section 每季度的工作, in
order. The commands are read from the README, so the test follows it when the section changes."""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SECTION = "## 每季度的工作"
# The address the README's commands use for the demo portal (govaudit demo --serve's default port).
DEMO_URL = "http://127.0.0.1:8000/"
# What the clerk types when a command asks (the review in the terminal): 确认 (y) to every question.
CLERK_ANSWERS = "y\n" * 500


def quarter_commands(readme: str) -> list[list[str]]:
    """The commands of the first fenced block in the README's quarter section, each as its words."""
    if SECTION not in readme:
        raise ValueError(f"README has no section {SECTION!r}")
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    block = re.search(r"^```(?:bash|sh)\n(.*?)^```", section, re.S | re.M)
    if block is None:
        raise ValueError(f"README's section {SECTION!r} has no fenced bash block")
    commands = [shlex.split(line, comments=True) for line in block.group(1).splitlines()]
    commands = [words for words in commands if words]
    if not commands or any(words[0] != "govaudit" for words in commands):
        raise ValueError("every line of the quarter block must be a govaudit command")
    return commands


def test_the_reader_takes_the_block_of_the_section_only():
    readme = (
        "# x\n\n```bash\ngovaudit rules\n```\n\n## 每季度的工作\n\ntext\n\n```bash\n"
        "govaudit history   # 历次检查\n\ngovaudit diff 1 2\n```\n\n## 输出\n\n```bash\ngovaudit demo\n```\n"
    )
    assert quarter_commands(readme) == [["govaudit", "history"], ["govaudit", "diff", "1", "2"]]
    with pytest.raises(ValueError, match="no section"):
        quarter_commands("# x\n")
    with pytest.raises(ValueError, match="no fenced"):
        quarter_commands("## 每季度的工作\n\n没有命令\n\n## 输出\n\n```bash\ngovaudit demo\n```\n")
    with pytest.raises(ValueError, match="govaudit command"):
        quarter_commands("## 每季度的工作\n\n```bash\nrm -rf quarterly/\n```\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    """Each README command run in an empty folder (the sample registers where the README finds them)
    against the served demo portal: (words, completed process) in order, and the folder."""
    commands = quarter_commands((REPO / "README.md").read_text("utf-8"))
    work = tmp_path_factory.mktemp("quarter")
    (work / "docs").symlink_to(REPO / "docs")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "audit.cli", "demo", "--serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The clerk's commands use the database in the folder (govaudit.sqlite), not a test server's.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("GOVAUDIT_DB", "GOVAUDIT_REDIS", "GOVAUDIT_REDIS_PREFIX")
    }
    done = []
    try:
        assert "sample portal" in server.stdout.readline()
        url = f"http://127.0.0.1:{port}/"
        for words in commands:
            args = [url if word == DEMO_URL else word for word in words[1:]]
            run = subprocess.run(
                [sys.executable, "-m", "audit.cli", *args],
                cwd=work,
                env=env,
                input=CLERK_ANSWERS,
                capture_output=True,
                text=True,
                timeout=600,
            )
            done.append((words, run))
            if run.returncode != 0:
                break
    finally:
        server.terminate()
        server.communicate(timeout=20)
    return done, work


def test_every_command_of_the_quarter_runs(walked):
    done, _ = walked
    failed = [(" ".join(words), run.returncode, run.stderr[-500:]) for words, run in done if run.returncode != 0]
    assert failed == []
    assert len(done) == len(quarter_commands((REPO / "README.md").read_text("utf-8")))
    for words, run in done:
        assert "Traceback" not in run.stderr, " ".join(words)


def test_the_quarter_leaves_what_the_readme_says(walked):
    done, work = walked
    quarters = [words[words.index("--quarter") + 1] for words, _ in done if words[1] == "run-quarterly"]
    assert quarters, "the quarter section runs no audit"
    first = work / "quarterly" / quarters[0]
    for name in ("bulletin.html", "findings.json", "findings.xlsx", "findings.csv"):
        assert (first / name).stat().st_size > 0, name
    findings = json.loads((first / "findings.json").read_text("utf-8"))
    rules = {finding["rule"] for finding in findings}
    # The registers were imported before the run: their problems are in the quarter's list.
    imported = {words[1] for words, _ in done if words[2:3] == ["import"]}
    if "hotline" in imported:
        assert "hotline.overdue" in rules
    assert "label.not_public" in rules
    for words, run in done:
        if words[1] == "report":
            folder = work / words[words.index("--out") + 1]
            for kind in words[words.index("--format") + 1].split(","):
                written = {"html": "bulletin.html", "docx": "bulletin.docx", "xlsx": "findings.xlsx"}.get(kind)
                assert written is None or (folder / written).stat().st_size > 0, kind
        if words[1] == "review" and "--terminal" in words:
            assert "全部核查完毕" in run.stdout
        if words[1] == "show":
            assert "问题：" in run.stdout and "证据：" in run.stdout
        if words[1] in ("history", "diff", "show"):
            assert re.search(r"[\u4e00-\u9fff]", run.stdout.splitlines()[0]), " ".join(words)
            assert "done" not in run.stdout
