"""Build Packline's frozen one-folder bundle with PyInstaller (packaging/packline.spec), then
on Linux its archive: `dist/packline-<version>-linux-<arch>.tar.gz` holding the folder
`packline/`, `packline.desktop` and `packline.png`. Prints how long the build took and the
size of the bundle.

    python packaging/build.py [--debug] [--dist DIR] [--work DIR] [--no-archive]

PyInstaller keeps its analysis and its cache of processed libraries between builds
(`--work`, default build/pyinstaller, and its own user cache folder): a build after a small
change takes a fraction of the first one. `--debug` builds the debug variant (console, the
bootloader's messages) into build/debug/ unless `--dist` says otherwise, without an archive. See
docs/packaging.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "packline.spec"
NAME = "packline"

DESKTOP = """[Desktop Entry]
Type=Application
Version=1.0
Name=Packline
Name[zh_CN]=Packline 仓库工作站
GenericName=Warehouse workstation
GenericName[zh_CN]=仓库工作站
Comment=Order queue, wave picking, packing and label printing
Comment[zh_CN]=订单、波次拣货、打包与面单打印
Exec=packline
Icon=packline
Terminal=false
Categories=Office;
StartupWMClass=packline
"""


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def machine() -> str:
    arch = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(arch, arch)


def build(dist: Path, work: Path, debug: bool) -> Path:
    """The bundle, `dist/packline/`."""
    sys.path.insert(0, str(ROOT / "packaging"))
    from icon import render_png

    icon = render_png(work / "packline.png", 256)
    env = {**os.environ, "PACKLINE_ICON": str(icon), "PACKLINE_BUILD_DEBUG": "1" if debug else ""}
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
                   cwd=ROOT, env=env, check=True)
    bundle = dist / NAME
    if sys.platform.startswith("linux") and not debug:
        strip_python_debug_info(bundle)
    return bundle


def strip_python_debug_info(bundle: Path) -> None:
    """Python's own libraries as a source build leaves them (pyenv's carry some 30 MB of
    debug information) without it. Only these: stripping the libraries of wheels whose
    headers patchelf rewrote breaks them (FFmpeg's, Pillow's), so PyInstaller's own strip is
    off."""
    internal = bundle / "_internal"
    found = [*internal.glob("libpython3*.so*"), *internal.glob("python3*/lib-dynload/*.so")]
    if found and shutil.which("strip"):
        subprocess.run(["strip", "--strip-debug", *map(str, found)], check=True)


def archive(bundle: Path, icon: Path) -> Path:
    """`packline-<version>-linux-<arch>.tar.gz` beside the bundle: the folder, the desktop
    entry and the icon, under `packline-<version>/`."""
    top = f"{NAME}-{version(NAME)}"
    out = bundle.parent / f"{top}-linux-{machine()}.tar.gz"
    desktop = bundle.parent / f"{NAME}.desktop"
    desktop.write_text(DESKTOP, encoding="utf-8")
    tmp = out.with_suffix(".tmp")
    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{top}/{NAME}")
        tar.add(desktop, arcname=f"{top}/{NAME}.desktop")
        tar.add(icon, arcname=f"{top}/{NAME}.png")
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true",
                        help="the debug variant: consoles and the bootloader's messages")
    parser.add_argument("--dist", type=Path, help="where the bundle goes (default dist/, "
                                                  "build/debug/dist with --debug)")
    parser.add_argument("--work", type=Path, help="PyInstaller's work folder (default "
                                                  "build/pyinstaller, build/debug/work)")
    parser.add_argument("--no-archive", action="store_true", help="the folder only")
    args = parser.parse_args(argv)
    dist = (args.dist or ROOT / ("build/debug/dist" if args.debug else "dist")).resolve()
    work = (args.work or ROOT / ("build/debug/work" if args.debug else "build/pyinstaller")
            ).resolve()
    began = time.monotonic()
    bundle = build(dist, work, args.debug)
    took = time.monotonic() - began
    print(f"packline: built {bundle} in {took:.0f} s; {folder_size(bundle) / 1e6:.0f} MB")
    if sys.platform.startswith("linux") and not args.no_archive and not args.debug:
        out = archive(bundle, work / "packline.png")
        print(f"packline: {out} ({out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
