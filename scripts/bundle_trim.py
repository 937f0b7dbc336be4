"""What the bundle leaves out, and the pass that takes it out after PyInstaller's analysis.

build_installer.py builds the bundle; packaging/companion.spec hands these
lists to PyInstaller and calls :func:`prune` on what its analysis found."""
from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
from pathlib import Path

from scripts.catalogue import bundle_drops  # Babel's locale data of the languages not shipped

IS_LINUX = sys.platform.startswith("linux")

# Loaded by name, which PyInstaller cannot see: Markdown's extensions, and cffi's backend (by PyNaCl's libsodium).
HIDDEN_IMPORTS = ["markdown.extensions.tables", "markdown.extensions.sane_lists", "markdown.extensions.toc",
                  "_cffi_backend"]

# What the app never imports. Pygments (Markdown's code highlighting) is
# unused. ReportLab 5 imports PIL.Image whatever it draws, so PIL's core
# stays, without its optional parts (fonts, colour management, WebP, AVIF, Tk).
EXCLUDES = [
    "pygments", "PIL._avif", "PIL._webp", "PIL._imagingft", "PIL._imagingcms", "PIL._imagingtk",
    "PIL._imagingmath", "PIL._imagingmorph", "PIL.ImageTk", "PIL.ImageQt", "PIL.ImageCms", "PIL.ImageFont",
    "PIL.AvifImagePlugin", "PIL.WebPImagePlugin", "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "pydoc_data",
    "ensurepip", "venv", "distutils", "setuptools", "pkg_resources", "pip", "test", "unittest",
    "xmlrpc", "ftplib", "imaplib", "nntplib", "poplib", "smtplib", "telnetlib", "mailbox",
    "curses", "_curses", "readline", "dbm", "_dbm", "_gdbm", "lzma", "_lzma", "bz2", "_bz2",
    "multiprocessing", "concurrent", "asyncio", "ssl", "_ssl", "http.server", "xml.dom.pulldom",
    "pytest", "_pytest", "hypothesis", "pytestqt", "pydoc", "doctest", "pdb", "_pydecimal",
    # hashlib falls back on Python's own SHA-256 and MD5: no OpenSSL (4.5 MB) without _hashlib
    "_hashlib", "charset_normalizer",
    # East Asian legacy text encodings: nothing the companion reads or writes uses them
    "_codecs_jp", "_codecs_hk", "_codecs_cn", "_codecs_kr", "_codecs_tw", "_codecs_iso2022",
    "PySide6.QtNetwork", "PySide6.QtDBus", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtQml",
    "PySide6.QtQuick", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtXml", "PySide6.QtConcurrent",
    "PySide6.QtUiTools", "PySide6.QtDesigner", "PySide6.QtHelp", "PySide6.QtSvgWidgets",
    "PySide6.QtPrintSupport",
    # XLSForm import (pyxform, 12 MB) is a trainer's command, from a source install: pip install ".[authoring]"
    "pyxform", "lark", "xlrd",
    # ReportLab's charts, widgets and barcodes: the PDFs draw their charts with graphics.shapes alone
    "reportlab.graphics.charts", "reportlab.graphics.widgets", "reportlab.graphics.barcode",
]
# PIL's readers and writers of image files (loaded by name when an image is opened or saved) but
# these: no PDF the companion writes holds a raster image; ReportLab needs PIL.Image only to import.
KEEP_PIL_PLUGINS = ("PngImagePlugin", "JpegImagePlugin")

# Qt plugins kept (everything else in these plugin folders goes): offscreen
# for tests and the self-check, xcb on Linux desktops (a Wayland desktop shows
# it through XWayland, as Qt falls back to xcb when its Wayland plugin is not
# there: 1.6 MB less), the native platform on Windows and macOS; input
# methods (for typing Amharic or Arabic) and the image formats a content pack may use.
KEEP_PLUGINS = {
    "platforms": ["*offscreen*", "*xcb*", "*qwindows*", "*cocoa*"],
    "imageformats": ["*qjpeg*", "*qgif*", "*qsvg*", "*qico*"],
    "platformthemes": ["*xdgdesktopportal*"],
}
# wayland-graphics-integration-client: OpenGL on Wayland (and all of QtOpenGL); widgets draw without it.
DROP_PLUGIN_FOLDERS = ["egldeviceintegrations", "generic", "networkinformation", "tls", "sqldrivers",
                       "printsupport", "qmltooling", "designer", "wayland-graphics-integration-client",
                       "wayland-shell-integration", "wayland-decoration-client",
                       "xcbglintegrations"]  # OpenGL on X11: the widgets draw without it
# Linux: libraries every desktop that can show a window already has, and that
# are better taken from the system, as PyInstaller already does for libxcb and
# libGL: fontconfig must read the system's configuration and fonts; the GLib
# and D-Bus of the desktop must match its own modules and daemon (the same
# reasons as AppImage's exclude list). Their private dependencies (systemd,
# gcrypt, pcre2, ...) go with them.
SYSTEM_LIBS = ["libdbus-1.so*", "libglib-2.0.so*", "libgthread-2.0.so*", "libfontconfig.so*", "libfreetype.so*",
               "libX11.so*", "libX11-xcb.so*", "libexpat.so*", "libz.so*"]
DROP_FILES = [
    "*libQt6EglFSDeviceIntegration*", "*libQt6EglFsKmsSupport*", "*libQt6Network*", "*libQt6Pdf*",
    "*libQt6Qml*", "*libQt6Quick*", "*libQt6VirtualKeyboard*", "*libQt6OpenGLWidgets*", "*libQt6Wayland*",
    "*libQt6WlShellIntegration*",
    "*Qt6EglFSDeviceIntegration*", "*Qt6Network*", "*Qt6Pdf*", "*Qt6Qml*", "*Qt6Quick*",
]


def _dest(entry) -> str:
    return entry[0].replace("\\", "/")


def _dropped_by_rule(dest: str) -> bool:
    if (language := bundle_drops(dest)) is not None:  # Qt's and Babel's data of the shipped languages only
        return language
    if any(fnmatch.fnmatch(dest, pattern) for pattern in DROP_FILES):
        return True
    if IS_LINUX and "/" not in dest and any(fnmatch.fnmatch(dest, pattern) for pattern in SYSTEM_LIBS):
        return True
    match = re.search(r"/plugins/([^/]+)/([^/]+)$", dest)
    if not match:
        return False
    folder, name = match.groups()
    if folder in DROP_PLUGIN_FOLDERS:
        return True
    if folder in KEEP_PLUGINS:
        return not any(fnmatch.fnmatch(name, pattern) for pattern in KEEP_PLUGINS[folder])
    return False


def _direct_needs(path: str) -> list[str]:
    """The libraries a binary names itself (DT_NEEDED), not those of its
    libraries in turn as ldd lists them; read with binutils' readelf."""
    try:
        out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        from PyInstaller.depend import bindepend

        return [name for name, _path in bindepend.get_imports(path)]
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def _needed_closure(binaries: list) -> set[str]:
    """The destinations of the binaries still needed: Python extensions, kept
    Qt plugins, libpython, and whatever they link to, directly or in turn.
    A library only a dropped plugin needed (GTK's for the GTK theme) goes too."""
    by_name: dict[str, list[str]] = {}
    for entry in binaries:
        by_name.setdefault(os.path.basename(_dest(entry)), []).append(_dest(entry))
    sources = {_dest(e): e[1] for e in binaries}
    roots = [_dest(e) for e in binaries
             if e[2] == "EXTENSION" or "/plugins/" in _dest(e) or os.path.basename(_dest(e)).startswith("libpython")]
    needed, todo = set(roots), list(roots)
    while todo:
        dest = todo.pop()
        source = sources.get(dest)
        if not source or not os.path.isfile(source):
            continue
        for name in _direct_needs(source):
            for other in by_name.get(os.path.basename(name), []):
                if other not in needed:
                    needed.add(other)
                    todo.append(other)
    return needed


def prune(binaries: list, datas: list, workpath: Path) -> tuple[list, list]:
    """Drop what the app does not use; list what was dropped in WORK/trimmed.txt."""
    dropped = [e for e in binaries if _dropped_by_rule(_dest(e))]
    kept = [e for e in binaries if not _dropped_by_rule(_dest(e))]
    if IS_LINUX:
        needed = _needed_closure([e for e in kept if e[2] != "SYMLINK"])
        orphans = [e for e in kept if e[2] in ("BINARY",) and _dest(e) not in needed]
        dropped += orphans
        kept = [e for e in kept if e not in orphans]
    gone = {_dest(e) for e in dropped}
    # links to what went, and data files matching the rules (Qt translations)
    links = [e for e in kept if e[2] == "SYMLINK" and _link_target(e) in gone]
    kept = [e for e in kept if e not in links]
    kept_datas = [e for e in datas if not _dropped_by_rule(_dest(e))
                  and not (e[2] == "SYMLINK" and _link_target(e) in gone)]
    dropped_datas = [e for e in datas if e not in kept_datas]
    Path(workpath).mkdir(parents=True, exist_ok=True)
    Path(workpath, "trimmed.txt").write_text(
        "\n".join(sorted(_dest(e) for e in [*dropped, *links, *dropped_datas])) + "\n", encoding="utf-8")
    return kept, kept_datas


def _link_target(entry) -> str:
    """A SYMLINK entry's target as a destination path inside the bundle."""
    return os.path.normpath(os.path.join(os.path.dirname(_dest(entry)), entry[1])).replace("\\", "/")


# building --------------------------------------------------------------------------------
