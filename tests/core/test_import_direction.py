"""Imports between our apps run one way: website -> placements -> skills -> core.

- core is the bottom: rate limits, pagination, spreadsheet exports, Indian numbers and dates, the
  bilingual PDF toolkit. Every app may use it; it uses none of them.
- skills (the training tracker) uses core only; placements (jobs and outcomes) uses skills and core.
- accounts (the second factor of staff and employer logins) sits beside website at the top: it
  serves the users of both tracker apps, so it may use anything below it, and nothing below may use
  it (the tracker apps know of logins only what django.contrib.auth says). website, the project
  package that puts the apps together, may import accounts; accounts never imports website (it
  reads settings through django.conf, and the settings and URLs name it by dotted strings).

The check reads the source with ast, without importing it, so that it sees imports inside functions
too and a wrong-way import fails here rather than as a circular import somewhere else. Imports
within one app, relative or not, are that app's own business. Nor may an app import another app's
private names (a leading underscore): what one app offers another is its public API."""

import ast
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]

MAY_IMPORT = {
    "core": set(),
    "skills": {"core"},
    "placements": {"skills", "core"},
    "accounts": {"placements", "skills", "core"},
    "website": {"accounts", "placements", "skills", "core"},
}


def imports_of_other_apps(app):
    """(file, line, module, imported names) for each import in `app` of another of our apps."""
    for path in sorted((REPOSITORY / app).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found = [(alias.name, ()) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found = [(node.module, tuple(alias.name for alias in node.names))]
            else:
                continue
            for module, names in found:
                other = module.partition(".")[0]
                if other in MAY_IMPORT and other != app:
                    yield path.relative_to(REPOSITORY), node.lineno, module, names


@pytest.mark.parametrize("app", MAY_IMPORT)
def test_app_imports_only_the_apps_below_it(app):
    wrong = [
        f"{path}:{line} imports {module}"
        for path, line, module, _ in imports_of_other_apps(app)
        if module.partition(".")[0] not in MAY_IMPORT[app]
    ]
    assert not wrong, f"{app} may import only {sorted(MAY_IMPORT[app]) or 'none of our apps'}:\n" + "\n".join(
        wrong
    )


@pytest.mark.parametrize("app", MAY_IMPORT)
def test_app_imports_no_private_name_of_another(app):
    private = [
        f"{path}:{line} imports {name} from {module}"
        for path, line, module, names in imports_of_other_apps(app)
        for name in names
        if name.startswith("_")
    ]
    assert not private, "\n".join(private)


def test_the_check_sees_every_app_and_a_wrong_way_import(tmp_path, monkeypatch):
    assert {path.name for path in REPOSITORY.iterdir() if (path / "apps.py").exists()} <= set(MAY_IMPORT)
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "late.py").write_text("def f():\n    from website.models import HomePage\n")
    monkeypatch.setattr(f"{__name__}.REPOSITORY", tmp_path)
    assert [(line, module) for _, line, module, _ in imports_of_other_apps("core")] == [(2, "website.models")]
