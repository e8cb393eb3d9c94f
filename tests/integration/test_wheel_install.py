"""The built wheel installs into a fresh venv and runs there: `packline demo seed`, `packline
run` to its login screen and `packline selftest`, from a folder that is not this checkout.

Nothing is downloaded: the wheel is built without fetching a build back end (this venv's
setuptools) and installed with `--no-deps`; the fresh venv sees the dependencies of this venv
through a `.pth` file naming its site-packages. A folder added by a `.pth` file is not itself
searched for `.pth` files, so this checkout's editable install does not come along: `app` and
`packline_resources` must come from the wheel, which the test checks first.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers.cli import REPO, packline_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

SHOWN = "packline: login screen shown"  # app/ui/startup_probe.py
# What the wheel is built from (pyproject.toml, setup.py): the rest of the checkout stays out.
SOURCES = ("app", "drivers", "resources", "pyproject.toml", "setup.py", "README.md")
# pip and the venv see nothing of this checkout (its packline.egg-info would pass for the
# wheel already installed).
TOOLS_ENV = {k: v for k, v in os.environ.items()
             if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def _own_backend() -> bool:
    """Whether this venv's setuptools builds wheels itself (70.1 and later; the dev extra
    asks for it)."""
    from importlib.metadata import version

    from packaging.version import Version

    return Version(version("setuptools")) >= Version("70.1")


def build_wheel(tmp: Path) -> Path:
    source = tmp / "src"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    out = tmp / "wheels"
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-cache-dir", "-q",
               "-w", str(out), str(source)]
    if _own_backend():
        command.insert(4, "--no-build-isolation")  # this venv's setuptools: nothing fetched
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp,
                          env=TOOLS_ENV)
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = out.glob("packline-*.whl")
    return wheel


def fresh_venv(tmp: Path, wheel: Path) -> tuple[Path, Path]:
    """(its python, its site-packages): the wheel installed alone, this venv's dependencies
    reached through a .pth file."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120, cwd=tmp, env=TOOLS_ENV)
    scripts = "Scripts" if sys.platform == "win32" else "bin"
    python = venv / scripts / ("python.exe" if sys.platform == "win32" else "python")
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True, cwd=tmp, env=TOOLS_ENV).stdout.strip())
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           "--no-deps", "--no-index", str(wheel)],
                          capture_output=True, text=True, timeout=300, cwd=tmp, env=TOOLS_ENV)
    assert done.returncode == 0 and "Successfully installed packline" in done.stdout, \
        done.stdout[-2000:] + done.stderr[-3000:]
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "packline-test-dependencies.pth").write_text(
        "".join(f"{path}\n" for path in sorted(ours)), encoding="utf-8")
    return python, site


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = packline_env(home, drop=("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"),
                       warnings_are_errors=False)
    env.update(extra)
    return env


def test_the_wheel_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    python, site = fresh_venv(tmp_path, wheel)
    work = tmp_path / "elsewhere"  # never this checkout as the current folder
    work.mkdir()
    home = tmp_path / "station"
    home.mkdir(mode=0o700)
    settings = home / "station.ini"
    settings.write_text("[demo]\nseed_on_first_start = false\n", encoding="utf-8")
    settings.chmod(0o600)
    env = env_for(home)
    bin_dir = python.parent

    # The app and its resources come from the wheel, nothing from this checkout.
    where = subprocess.run(
        [str(python), "-c", "import json, app, packline_resources, app.resources as r; "
         "from importlib.metadata import distribution as d; print(json.dumps("
         "[app.__file__, packline_resources.__file__, str(r.resource_path('regions', "
         "'regions.csv')), str(d('packline')._path)]))"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr
    for path in json.loads(where.stdout):
        assert Path(path).resolve().is_relative_to(site.resolve()), path
        assert not Path(path).resolve().is_relative_to(REPO), path
        assert Path(path).exists(), path

    # Every dependency the wheel declares is there, in a version it accepts.
    unmet = subprocess.run(
        [str(python), "-c", "from importlib.metadata import requires, version\n"
         "from packaging.requirements import Requirement\n"
         "for text in requires('packline') or []:\n"
         "    r = Requirement(text)\n"
         "    if r.marker is not None and not r.marker.evaluate({'extra': ''}): continue\n"
         "    if version(r.name) not in r.specifier: print(r, version(r.name))\n"],
        cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert unmet.returncode == 0 and not unmet.stdout.strip(), (unmet.stdout, unmet.stderr)

    packline = str(bin_dir / "packline")
    seed = subprocess.run([packline, "demo", "seed", "--orders", "20"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)
    assert seed.returncode == 0, seed.stderr[-3000:]
    assert json.loads(seed.stdout)["orders_created"] == 20

    started = subprocess.run([packline, "run"], cwd=work, capture_output=True, text=True,
                             env=env_for(home, QT_QPA_PLATFORM="offscreen",
                                         PACKLINE_QUIT_AT_LOGIN="1", PACKLINE_MUTE="1"),
                             timeout=300)
    assert started.returncode == 0, started.stderr[-3000:]
    assert started.stdout.strip().splitlines() == [SHOWN], started.stdout

    checked = subprocess.run([packline, "selftest", "--json"], cwd=work, capture_output=True,
                             text=True, env=env, timeout=300)
    report = json.loads(checked.stdout)
    assert checked.returncode == 0, json.dumps(report, ensure_ascii=False, indent=1)
    assert "Python" in report["checks"][0]["detail"]
    assert str(site.resolve()) in report["checks"][0]["detail"] \
        or str(site) in report["checks"][0]["detail"]

    # The app from an icon: `packline-gui` takes the options before a command.
    assert (bin_dir / "packline-gui").is_file()
    gui = subprocess.run([str(bin_dir / "packline-gui"), "--home", str(home)], cwd=work,
                         capture_output=True, text=True, timeout=300,
                         env=env_for(home, QT_QPA_PLATFORM="offscreen",
                                     PACKLINE_QUIT_AT_LOGIN="1", PACKLINE_MUTE="1"))
    assert gui.returncode == 0 and SHOWN in gui.stdout, gui.stderr[-3000:]
    assert os.access(bin_dir / "packline-gui", os.X_OK)
