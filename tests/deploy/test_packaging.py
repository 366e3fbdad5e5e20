"""The packaging choice: deployed from the checkout, with a lock that agrees with pyproject.toml."""

import re
import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT


def locked():
    """{package: version} pinned in requirements.lock, every pin with its hashes."""
    text = (ROOT / "requirements.lock").read_text()
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} is pinned without a hash"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def runtime_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(line) for line in project["dependencies"]]


def test_the_lock_pins_every_runtime_dependency_within_its_range():
    pins = locked()
    for requirement in runtime_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} {requirement}"


def test_tests_run_on_the_locked_versions():
    """`make install` installs the lock first, so the suite runs on what is deployed."""
    pins = locked()
    for requirement in runtime_requirements():
        name = canonicalize_name(requirement.name)
        assert version(name) == pins[name], f"{name}: installed {version(name)}, lock {pins[name]}"


def test_every_code_folder_is_a_package_the_install_finds():
    """A folder of modules without __init__.py would be missing from the install (and so from
    tests and the benchmark run from it) while working from the checkout."""
    for folder in [ROOT / "portal", ROOT / "trials"]:
        for module in folder.rglob("*.py"):
            assert (module.parent / "__init__.py").exists(), f"{module.parent}: no __init__.py"


def test_the_readme_says_the_portal_deploys_from_the_checkout():
    readme = (ROOT / "README.md").read_text()
    deploying = readme[readme.index("## Deploying") : readme.index("### Running on several")]
    assert "deploys **from a checkout of this repository**" in deploying
    assert "`pip install .` is\nnot a deployment" in deploying


def test_env_example_lists_every_setting_the_portal_reads():
    source = (ROOT / "portal" / "settings.py").read_text() + (ROOT / "portal/wsgi.py").read_text()
    read = set(
        re.findall(r"""(?:env_\w+\(|environ(?:\.get|\.setdefault)?[(\[])\s*["']([A-Z_]+)""", source)
    )
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    read.discard("DJANGO_SETTINGS_MODULE")  # Django's own, set by manage.py and wsgi.py
    assert read and not read - listed, f"not in .env.example: {sorted(read - listed)}"
