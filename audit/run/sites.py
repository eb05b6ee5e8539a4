"""The office's list of portals (sites.yaml) and auditing all of them:

    sites:
      - {name: 马关县人民政府, url: http://www.ynmg.gov.cn/, unit: 马关县人民政府办公室, site_id: "5326250001", level: 县级}

Each site is audited by its own `govaudit audit` process, one after another: Scrapy runs one crawl
per process, and a site that cannot be reached or fails does not hold up the others."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from crawler.reading.safe_yaml import YAMLRefused, load_yaml
from crawler.vocabulary.urls import BadSiteURL, check_site_url
from reports.files import PLAIN_NAME


class SitesError(ValueError):
    """sites.yaml cannot be read or a site in it is not usable."""


def read_sites(path: Path) -> list[dict]:
    """The sites of a sites.yaml, validated: each needs a name, an http(s) URL and a unit."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), path.name)
    except YAMLRefused as exc:
        raise SitesError(str(exc)) from None
    except OSError as exc:
        raise SitesError(f"无法读取 / cannot read {path}: {exc.strerror or exc}") from None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: UnicodeDecodeError, an impossible date
        raise SitesError(f"{path.name} 不是有效的 YAML / not valid YAML: {' '.join(str(exc).split())}") from None
    entries = data.get("sites") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SitesError(f"{path.name} 须有 sites: 列表 / needs a non-empty `sites:` list")
    sites, seen = [], set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise SitesError(f"{path.name} 第{number}个网站须为映射 / site {number} must be a mapping")
        unknown = set(entry) - {"name", "url", "unit", "site_id", "level"}
        if unknown:
            raise SitesError(
                f"{path.name} 第{number}个网站有未知的键 / site {number} has unknown keys: {', '.join(sorted(unknown))}"
            )
        for key in ("name", "url", "unit"):
            if not str(entry.get(key) or "").strip():
                raise SitesError(f"{path.name} 第{number}个网站缺少 {key} / site {number} has no {key}")
        try:
            url = check_site_url(str(entry["url"]))
        except BadSiteURL as exc:
            raise SitesError(f"{path.name} 第{number}个网站：{exc}") from None
        if url in seen:
            raise SitesError(f"{path.name} 第{number}个网站与前面的重复 / site {number} repeats {url}")
        seen.add(url)
        site_id = str(entry["site_id"]).strip() if entry.get("site_id") else None
        # It names the site's output folder (audit-all, report --all): never a path.
        if site_id is not None and not (PLAIN_NAME.fullmatch(site_id) and len(site_id) <= 32):
            raise SitesError(
                f"{path.name} 第{number}个网站的 site_id {site_id!r} 只能由字母、数字、汉字、-、_ 组成，"
                f"至多32个字符 / site {number}: site_id must be letters, digits, - or _ (at most 32)"
            )
        sites.append(
            {
                "url": url,
                "name": str(entry["name"]).strip(),
                "unit": str(entry["unit"]).strip(),
                "site_id": site_id,
                "level": str(entry["level"]).strip() if entry.get("level") else None,
            }
        )
    return sites


def audit_site(url: str, out_dir: Path, options: list[str], env: dict[str, str] | None = None) -> int:
    """One site's audit in its own process (the exact `govaudit audit` of a single site); `env`
    carries what must not be on its command line (the database address: audit.cluster.secret_env)."""
    return subprocess.run(
        [sys.executable, "-m", "audit.cli", "audit", url, "--out", str(out_dir), *options], env=env
    ).returncode
