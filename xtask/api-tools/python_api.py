"""Compares two builds of a Python package's public API with griffe (the tool `griffe check` runs).

Usage: python python_api.py PACKAGE OLD_SRC NEW_SRC

Prints one line per change and a last line `verdict: none|additions|break`: `break` when griffe
finds a breaking change, `additions` when the new build only adds public names, `none` when the
public surface (names, signatures, annotations) is the same.
"""

from __future__ import annotations

import sys

import griffe


def public_surface(obj: griffe.Object | griffe.Alias, into: dict[str, str]) -> None:
    """Every public member below `obj`, by path, with what a caller sees of it."""
    for name, member in obj.members.items():
        if not member.is_public or member.is_alias and not member.is_exported:
            continue
        path = f"{obj.path}.{name}"
        kind = member.kind.value
        seen = kind
        if member.is_function:
            parameters = ", ".join(
                f"{parameter.kind.value} {parameter.name}: {parameter.annotation} = {parameter.default}"
                for parameter in member.parameters
            )
            seen = f"{kind}({parameters}) -> {member.returns}"
        elif member.is_attribute:
            seen = f"{kind}:{member.annotation}"
        into[path] = seen
        if not member.is_alias and (member.is_class or member.is_module):
            public_surface(member, into)


def main() -> int:
    package, old_src, new_src = sys.argv[1:4]
    old = griffe.load(package, search_paths=[old_src], try_relative_path=False)
    new = griffe.load(package, search_paths=[new_src], try_relative_path=False)
    breaks = list(griffe.find_breaking_changes(old, new))
    for breakage in breaks:
        print(f"break: {breakage.explain()}")
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    public_surface(old, before)
    public_surface(new, after)
    added = sorted(set(after) - set(before))
    changed = sorted(path for path in set(after) & set(before) if after[path] != before[path])
    for path in added:
        print(f"added: {path}")
    for path in changed:
        print(f"changed: {path}: {before[path]} -> {after[path]}")
    if breaks:
        verdict = "break"
    elif added or changed:
        verdict = "additions"
    else:
        verdict = "none"
    print(f"verdict: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
