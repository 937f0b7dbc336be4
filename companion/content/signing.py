"""Signed content packs: who made a pack, and that nothing in it changed since.

A trainer makes a key pair once (:func:`keygen`: ``NAME.key``, kept private,
and ``NAME.pub``, given out). Packing with the private key adds
``SIGNATURE.json`` at the top of the archive: the signer's name and public
key, the pack's id and version, the SHA-256 of every entry, and an Ed25519
signature over all of them written canonically (:func:`signed_bytes`).
Installing checks the signature, then that the archive holds exactly the
entries signed, each with the bytes signed; a single byte changed anywhere
refuses the pack. Whether the signer is *trusted* is a separate question,
answered by the keys built into the installer and those the person added
after comparing the fingerprint the trainer read out (:func:`fingerprint`:
four short pronounceable words). A key that travels with the pack proves
nothing by itself: anyone can sign.

PyNaCl does the cryptography; it is imported only to make a key, sign or verify.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from companion import jsonfile
from companion.errors import InputError
from companion.files import read_regular, write_atomically
from companion.messages import t

KEY_FORMAT = "mld-companion-key"
SIGNATURE_FORMAT = "mld-companion-signature"
SIGNATURE_NAME = "SIGNATURE.json"
TRUSTED_DIR = "trusted-keys"
MAX_KEY_BYTES = 8 * 1024
MAX_SIGNATURE_BYTES = 2 * 1024 * 1024
MAX_NAME = 80
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CONSONANTS, _VOWELS = "bdfghjklmnprstvz", "aiou"


def _nacl():
    try:
        import nacl.exceptions
        import nacl.signing
    except ImportError:
        raise InputError(t("sign.no_nacl")) from None
    return nacl


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int, what: str) -> bytes:
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True) if isinstance(text, str) else b""
    except (binascii.Error, UnicodeEncodeError, ValueError):
        data = b""
    if len(data) != length:
        raise InputError(t("sign.malformed", what=t(f"word.{what}")))
    return data


def fingerprint(public_key: bytes) -> str:
    """The key as four pronounceable five-letter words (64 bits), to read out and compare."""
    digest = hashlib.sha256(KEY_FORMAT.encode() + b"\0" + public_key).digest()
    words = []
    for index in range(0, 8, 2):
        value = int.from_bytes(digest[index:index + 2], "big")
        word = ""
        for shift, letters in ((12, _CONSONANTS), (10, _VOWELS), (6, _CONSONANTS), (4, _VOWELS), (0, _CONSONANTS)):
            word += letters[(value >> shift) & (15 if len(letters) == 16 else 3)]
        words.append(word)
    return "-".join(words)


def same_fingerprint(said: str, key: "PublicKey") -> bool:
    """Whether the words ``said`` (any case, any separators) are the key's fingerprint."""
    return "-".join(re.findall(r"[a-z]+", str(said).lower())) == key.fingerprint


@dataclass(frozen=True)
class PublicKey:
    name: str
    key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)

    def as_dict(self) -> dict[str, str]:
        return {"format": KEY_FORMAT, "kind": "public", "name": self.name, "public_key": _b64(self.key)}


def _clean_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME \
            or any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 for ch in name):
        raise InputError(t("sign.malformed", what=t("word.name")))
    return name.strip()


def looks_secret(data: bytes) -> bool:
    """Whether ``data`` is (the start of) a private key file of this format."""
    head = data[:400]
    return head.lstrip().startswith(b"{") and KEY_FORMAT.encode() in head and b'"secret"' in head


# key files -----------------------------------------------------------------------------------
def _read_key_file(path: Path) -> dict:
    data = read_regular(Path(path), MAX_KEY_BYTES)
    try:
        doc = jsonfile.loads(data)
    except (jsonfile.Refused, UnicodeDecodeError):
        doc = None
    if not isinstance(doc, dict) or doc.get("format") != KEY_FORMAT or doc.get("kind") not in ("public", "secret"):
        raise InputError(t("sign.not_key", path=Path(path).name))
    return doc


def read_public(path: Path) -> PublicKey:
    """A public key file (``NAME.pub``); a private key given by mistake is refused."""
    doc = _read_key_file(path)
    if doc["kind"] == "secret":
        raise InputError(t("sign.secret_given", path=Path(path).name))
    return PublicKey(_clean_name(doc.get("name")), _unb64(doc.get("public_key"), 32, "public_key"))


def read_secret(path: Path) -> tuple[PublicKey, bytes]:
    """(the public key, the 32-byte seed) of a private key file (``NAME.key``)."""
    doc = _read_key_file(path)
    if doc["kind"] != "secret":
        raise InputError(t("sign.public_given", path=Path(path).name))
    seed = _unb64(doc.get("seed"), 32, "private_key")
    public = PublicKey(_clean_name(doc.get("name")), _unb64(doc.get("public_key"), 32, "public_key"))
    if bytes(_nacl().signing.SigningKey(seed).verify_key) != public.key:
        raise InputError(t("sign.malformed", what=t("word.private_key")))
    return public, seed


def keygen(out: Path, name: str | None = None) -> tuple[Path, Path, PublicKey]:
    """Write ``OUT.key`` (private, readable by its owner only) and ``OUT.pub``; never overwrite."""
    out = Path(out)
    secret_path, public_path = out.with_name(out.name + ".key"), out.with_name(out.name + ".pub")
    for path in (secret_path, public_path):
        if path.exists():
            raise InputError(t("sign.key_exists", path=path))
    nacl = _nacl()
    signing_key = nacl.signing.SigningKey.generate()
    public = PublicKey(_clean_name(name or out.name), bytes(signing_key.verify_key))
    secret = {"format": KEY_FORMAT, "kind": "secret", "name": public.name, "seed": _b64(bytes(signing_key)),
              "public_key": _b64(public.key), "note": t("sign.secret_note")}
    try:
        handle = os.open(secret_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(secret, indent=2, ensure_ascii=False) + "\n")
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as exc:
        raise InputError(t("file.cannot_write", path=secret_path, detail=exc.strerror or exc)) from None
    write_atomically(public_path, (json.dumps(public.as_dict(), indent=2, ensure_ascii=False) + "\n").encode())
    return secret_path, public_path, public


# signatures ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Signature:
    signer: PublicKey
    pack_id: str
    version: str
    files: dict[str, str]  # archive entry → SHA-256 (hex)


def signed_bytes(signer: PublicKey, pack_id: str, version: str, files: dict[str, str]) -> bytes:
    """What the signature covers, written the one way it can be."""
    body = {"format": SIGNATURE_FORMAT, "format_version": 1,
            "signer": {"name": signer.name, "public_key": _b64(signer.key)},
            "pack": {"id": pack_id, "version": version}, "files": dict(sorted(files.items()))}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def sign(secret_path: Path, pack_id: str, version: str, files: dict[str, str]) -> tuple[bytes, PublicKey]:
    """(the bytes of SIGNATURE.json, the signer) for a pack whose entries have ``files``' digests."""
    public, seed = read_secret(secret_path)
    message = signed_bytes(public, pack_id, version, files)
    signature = _nacl().signing.SigningKey(seed).sign(message).signature
    doc = {**json.loads(message), "signature": _b64(signature)}
    return (json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=True) + "\n").encode("ascii"), public


def read_signature(data: bytes) -> Signature:
    """The signature of an archive's SIGNATURE.json, checked; InputError when it does not hold."""
    if len(data) > MAX_SIGNATURE_BYTES:
        raise InputError(t("sign.malformed", what=SIGNATURE_NAME))
    try:
        doc = jsonfile.loads(data)
    except (jsonfile.Refused, UnicodeDecodeError, RecursionError):
        doc = None
    if not isinstance(doc, dict) or doc.get("format") != SIGNATURE_FORMAT or doc.get("format_version") != 1:
        raise InputError(t("sign.malformed", what=SIGNATURE_NAME))
    signer, pack, files = doc.get("signer"), doc.get("pack"), doc.get("files")
    if not (isinstance(signer, dict) and isinstance(pack, dict) and isinstance(files, dict) and files
            and all(isinstance(k, str) and isinstance(v, str) and _HEX64.match(v) for k, v in files.items())
            and isinstance(pack.get("id"), str) and isinstance(pack.get("version"), str)):
        raise InputError(t("sign.malformed", what=SIGNATURE_NAME))
    key = PublicKey(_clean_name(signer.get("name")), _unb64(signer.get("public_key"), 32, "public_key"))
    raw = _unb64(doc.get("signature"), 64, "signature")
    nacl = _nacl()
    try:
        nacl.signing.VerifyKey(key.key).verify(signed_bytes(key, pack["id"], pack["version"], files), raw)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        raise InputError(t("sign.bad_signature", name=key.name, fingerprint=key.fingerprint)) from None
    return Signature(key, pack["id"], pack["version"], dict(files))


def check_entries(signature: Signature, names: list[str]) -> None:
    """The archive holds exactly the entries signed (``names``: every entry but the signature)."""
    extra = sorted(set(names) - set(signature.files))
    missing = sorted(set(signature.files) - set(names))
    if extra or missing or len(names) != len(set(names)):
        raise InputError(t("sign.entries_differ", name=(extra or missing or names)[0][:120]))


def check_digests(signature: Signature, digests: dict[str, str]) -> None:
    """Every entry unpacked has the bytes signed."""
    for name, digest in signature.files.items():
        if digests.get(name) != digest:
            raise InputError(t("sign.entry_changed", name=name[:120]))


# trust -------------------------------------------------------------------------------------------
def trusted_keys(folders: list[Path]) -> dict[bytes, PublicKey]:
    """The public keys in ``folders`` (``*.pub``), by key; unreadable files are passed over."""
    found: dict[bytes, PublicKey] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.pub")) if Path(folder).is_dir() else ():
            try:
                key = read_public(path)
            except InputError:
                continue
            found.setdefault(key.key, key)
    return found


def add_trusted(key: PublicKey, folder: Path) -> Path:
    """Keep ``key`` in ``folder`` (named by its fingerprint) so that its packs install."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return write_atomically(folder / f"{key.fingerprint}.pub",
                            (json.dumps(key.as_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def set_trusted(folder: Path, keys: list[Path]) -> tuple[bool, list[PublicKey]]:
    """Make ``folder`` hold exactly the public keys of the files ``keys`` (as an
    installer carries them); (whether that changed it, the keys)."""
    import shutil

    trusted = [read_public(path) for path in keys]
    wanted = {f"{key.fingerprint}.pub": json.dumps(key.as_dict(), indent=2, ensure_ascii=False) + "\n"
              for key in trusted}
    folder = Path(folder)
    have = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} if folder.is_dir() else {}
    if have == wanted:
        return False, trusted
    shutil.rmtree(folder, ignore_errors=True)
    for name, text in wanted.items():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return True, trusted


def private_key_in(roots: list[Path]) -> Path | None:
    """The first private key file among ``roots`` (files, or folders searched whole), or None."""
    for root in roots:
        for path in [Path(root)] if Path(root).is_file() else sorted(Path(root).rglob("*")):
            try:
                if path.is_file() and not path.is_symlink() and path.stat().st_size <= MAX_KEY_BYTES:
                    with open(path, "rb") as stream:
                        if looks_secret(stream.read(400)):
                            return path
            except OSError:
                continue
    return None
