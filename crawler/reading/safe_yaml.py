"""Every YAML file the tool reads (the config, sites.yaml, the built-in defaults and dictionaries)
is read here: safe tags only (no python/* objects), and bounded before anything is built from it.

PyYAML shares an aliased node rather than copying it, but whatever walks the result afterwards
(a str(), json.dumps for the config's fingerprint, a merge key `<<`) copies it: 465 bytes of nested
aliases ("billion laughs") became 1 GB. So the parser's events are counted first, in one streaming
pass, and the file is refused when it is bigger than `max_bytes`, uses more than MAX_ALIASES
aliases, an alias to an unfinished (recursive) anchor, nests deeper than MAX_DEPTH, or would
expand to more than `max_expanded` (nodes plus scalar characters, every alias counted in full).
"""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_BYTES = 1024 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 64
# Nodes plus the characters of the scalars, aliases expanded: a few times what a file at the size
# cap can hold without aliases.
MAX_EXPANDED = 8 * MAX_YAML_BYTES


class YAMLRefused(ValueError):
    """A YAML file over the limits above; the message is one line, Chinese then English."""


def load_yaml(text: str, origin: str, *, max_bytes: int = MAX_YAML_BYTES, max_expanded: int = MAX_EXPANDED):
    """The data of the YAML document `text` (from `origin`, named in errors). Raises YAMLRefused for a
    file over the limits, yaml.YAMLError (or ValueError for an impossible date) for invalid YAML."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise YAMLRefused(f"{origin} 超过 {max_bytes // 1024} KB，不予读取 / over {max_bytes // 1024} KB, not read")
    _check_events(text, origin, max_expanded)
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 — a safe loader (CSafeLoader or SafeLoader)


def _check_events(text: str, origin: str, max_expanded: int) -> None:
    sizes: dict[str, int] = {}  # an anchor's finished node: its expanded size
    stack: list[list] = [[0, None]]  # the open collections: [expanded size so far, anchor]
    aliases = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.ScalarEvent):
            grown = 1 + len(event.value)
            if event.anchor is not None:
                sizes[event.anchor] = grown
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YAMLRefused(
                    f"{origin} 的别名（*引用）超过 {MAX_ALIASES} 个，不予读取 / "
                    f"more than {MAX_ALIASES} aliases, not read"
                )
            if event.anchor not in sizes:
                raise YAMLRefused(
                    f"{origin} 有引用自身或未定义的别名 *{event.anchor}，不予读取 / "
                    f"recursive or undefined alias *{event.anchor}, not read"
                )
            grown = sizes[event.anchor]
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) > MAX_DEPTH:
                raise YAMLRefused(
                    f"{origin} 嵌套超过 {MAX_DEPTH} 层，不予读取 / nested deeper than {MAX_DEPTH}, not read"
                )
            stack.append([1, event.anchor])
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            grown, anchor = stack.pop()
            if anchor is not None:
                sizes[anchor] = grown
        else:
            continue
        stack[-1][0] += grown
        if stack[-1][0] > max_expanded:
            raise YAMLRefused(
                f"{origin} 展开别名后过大（超过 {max_expanded} 个节点和字符），不予读取 / "
                f"expands beyond {max_expanded} nodes and characters through its aliases, not read"
            )
