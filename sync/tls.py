"""TLS for the office (its own certificate authority) and certificate pinning for the phones.

Office side: `office_certificate(data_dir, hosts)` makes, once, a private certificate
authority (``tls/ca.pem`` + ``tls/ca.key``) and a server certificate signed by it for the
office's addresses (``tls/server.pem`` + ``tls/server.key``). The server certificate is made
again (by the same CA) when the office is asked to answer on an address it does not name —
a new LAN address after DHCP — so phones, which pin the CA, keep working. Key files are
written atomically and readable by the owner only. `--cert/--key` use the office's own
certificate instead: then the pinned certificate is the last one in that file (the issuer
end of the chain; for a self-signed certificate, itself).

Phone side: the enrolment QR (sync/enrolqr.py) carries the SHA-256 fingerprint of the
certificate to pin. `fetch_pin(url, fingerprint)` asks the office for that certificate
(`GET /api/v1/tls`, no secret in it), keeps it only if its fingerprint is the one from the
QR, and `pinned_context(pem)` is an SSLContext that trusts that certificate and nothing
else: any other certificate fails the handshake, before a byte of HTTP is sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from fieldapp.durable import write_file

TLS_DIR = "tls"
CA_CERT, CA_KEY = "ca.pem", "ca.key"
SERVER_CERT, SERVER_KEY = "server.pem", "server.key"
CA_YEARS = 20
SERVER_DAYS = 825  # what browsers accept for a server certificate
FINGERPRINT_MIN = 16  # hex digits a typed fingerprint must have at least (64 bits)


class PinError(Exception):
    """A certificate that is not the pinned one (or no way to check it); `code` is a client error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class OfficeCert:
    cert_file: Path  # what the server presents (the chain, leaf first)
    key_file: Path
    pin_pem: str  # the certificate phones pin (our CA, or the last one of --cert)
    fingerprint: str  # its SHA-256, 64 lowercase hex digits


# --- fingerprints ------------------------------------------------------------------------


def pem_certificates(pem: str) -> list[str]:
    """The PEM blocks of certificates in a text, in order."""
    out, block = [], []
    for line in pem.splitlines():
        if line.strip() == "-----BEGIN CERTIFICATE-----":
            block = [line.strip()]
        elif block:
            block.append(line.strip())
            if line.strip() == "-----END CERTIFICATE-----":
                out.append("\n".join(block) + "\n")
                block = []
    return out


def fingerprint(pem: str) -> str:
    """SHA-256 of the first certificate's DER bytes (64 lowercase hex digits)."""
    certs = pem_certificates(pem)
    if not certs:
        raise ValueError("no certificate in the text")
    return hashlib.sha256(ssl.PEM_cert_to_DER_cert(certs[0])).hexdigest()


def normalise_fingerprint(text: str) -> str:
    """Lower-case hex digits only (people type colons, spaces and capitals)."""
    return "".join(ch for ch in text.lower() if ch in "0123456789abcdef")


def short_fingerprint(fp: str) -> str:
    """The first 16 hex digits in groups of four: what can be typed when the QR cannot be read."""
    return " ".join(fp[i:i + 4].upper() for i in range(0, FINGERPRINT_MIN, 4))


def fingerprint_matches(pem: str, expected: str) -> bool:
    expected = normalise_fingerprint(expected)
    return len(expected) >= FINGERPRINT_MIN and fingerprint(pem).startswith(expected)


# --- office side ------------------------------------------------------------------------------


def local_addresses() -> list[str]:
    """The office PC's own addresses: loopback, its names, and the IPv4 address of its LAN
    interface (found by asking the routing table, without sending anything)."""
    found = ["127.0.0.1", "localhost", socket.gethostname()]
    for probe in ("10.255.255.255", "192.168.255.255"):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.connect((probe, 1))
                found.append(s.getsockname()[0])
            except OSError:
                pass
    try:
        found += [info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        pass
    return list(dict.fromkeys(a for a in found if a and a != "0.0.0.0"))


def lan_address() -> str:
    """The address phones reach the office on (the first non-loopback one), else 127.0.0.1."""
    for address in local_addresses():
        try:
            if not ipaddress.ip_address(address).is_loopback:
                return address
        except ValueError:
            continue
    return "127.0.0.1"


def _names(cert) -> set[str]:
    from cryptography import x509

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    return {str(v) for v in san.get_values_for_type(x509.IPAddress)} | set(san.get_values_for_type(x509.DNSName))


def office_certificate(data_dir: str | Path, hosts: list[str] | None = None, *,
                       cert_file: str | Path | None = None, key_file: str | Path | None = None) -> OfficeCert:
    """The certificate `office serve` presents: the office's own (`cert_file`/`key_file`), or
    ours, made once under ``<data_dir>/tls`` and re-issued by the same CA for new addresses."""
    if cert_file or key_file:
        if not (cert_file and key_file):
            raise ValueError("--cert and --key go together")
        text = Path(cert_file).read_text(encoding="ascii")
        chain = pem_certificates(text)
        if not chain:
            raise ValueError(f"{cert_file}: no PEM certificate in it")
        ssl.create_default_context().load_cert_chain(str(cert_file), str(key_file))  # refuses a bad pair
        return OfficeCert(Path(cert_file), Path(key_file), chain[-1], fingerprint(chain[-1]))
    folder = Path(data_dir) / TLS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    wanted = set(hosts or []) | set(local_addresses())
    wanted.discard("0.0.0.0")
    wanted.discard("::")
    ca_pem, ca_key_pem = _ensure_ca(folder)
    server = folder / SERVER_CERT
    if not server.is_file() or not (folder / SERVER_KEY).is_file() or not _still_good(server, wanted, ca_pem):
        _issue_server(folder, ca_pem, ca_key_pem, sorted(wanted))
    return OfficeCert(server, folder / SERVER_KEY, ca_pem, fingerprint(ca_pem))


def _ensure_ca(folder: Path) -> tuple[str, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    cert_path, key_path = folder / CA_CERT, folder / CA_KEY
    if cert_path.is_file() and key_path.is_file():
        return cert_path.read_text(encoding="ascii"), key_path.read_bytes()
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fieldapp office"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"fieldapp office CA {socket.gethostname()}")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    write_file(key_path, key_pem, mode=0o600)  # the key first: a cert without its key is remade
    pem = cert.public_bytes(serialization.Encoding.PEM)
    write_file(cert_path, pem, mode=0o644)
    return pem.decode("ascii"), key_pem


def _still_good(server: Path, wanted: set[str], ca_pem: str) -> bool:
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(server.read_bytes())
        ca = x509.load_pem_x509_certificate(ca_pem.encode("ascii"))
    except (OSError, ValueError):
        return False
    soon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)
    return cert.issuer == ca.subject and cert.not_valid_after_utc > soon and wanted <= _names(cert)


def _issue_server(folder: Path, ca_pem: str, ca_key_pem: bytes, hosts: list[str]) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca = x509.load_pem_x509_certificate(ca_pem.encode("ascii"))
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fieldapp office")]))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=SERVER_DAYS))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    write_file(folder / SERVER_KEY, key_pem, mode=0o600)
    chain = cert.public_bytes(serialization.Encoding.PEM) + ca_pem.encode("ascii")
    write_file(folder / SERVER_CERT, chain, mode=0o644)


SERVING = "serving.json"


def remember_serving(data_dir: str | Path, url: str, cert: "OfficeCert | None") -> None:
    """Where `office serve` answers and the fingerprint phones pin: for `office enrol`'s QR code."""
    import json

    folder = Path(data_dir) / TLS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    data = {"url": url, "fingerprint": cert.fingerprint if cert else ""}
    write_file(folder / SERVING, json.dumps(data).encode("utf-8"), mode=0o644)


def serving(data_dir: str | Path) -> dict:
    import json

    try:
        data = json.loads((Path(data_dir) / TLS_DIR / SERVING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def pin_of(data_dir: str | Path) -> tuple[str, str] | None:
    """(pem, fingerprint) of the CA an office made, or None (not made yet: `office serve` makes it)."""
    path = Path(data_dir) / TLS_DIR / CA_CERT
    if not path.is_file():
        return None
    pem = path.read_text(encoding="ascii")
    return pem, fingerprint(pem)


# --- phone side ------------------------------------------------------------------------------------


def pinned_context(pem: str) -> ssl.SSLContext:
    """Trust exactly this certificate (a CA or a server's own), no system CA; host names checked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_verify_locations(cadata=pem)
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # a pinned server certificate is its own anchor
    return context


def is_pin_failure(exc: BaseException) -> bool:
    """Whether an httpx error was a TLS handshake refusing the office's certificate."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return True
        if isinstance(exc, ssl.SSLError) and "CERTIFICATE_VERIFY_FAILED" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def fetch_pin(server_url: str, expected: str, *, transport=None, timeout: float = 15.0) -> str:
    """The office's certificate to pin, if its fingerprint starts with `expected`; else PinError.

    Asked without checking the certificate (there is nothing to check it with yet): what
    makes it safe is the fingerprint from the QR code, compared before anything is kept
    or sent. No secret goes in this request.
    """
    import httpx

    from sync import protocol as p

    expected = normalise_fingerprint(expected)
    if len(expected) < FINGERPRINT_MIN:
        raise PinError("pin_missing", "the certificate fingerprint is missing or too short")
    try:
        with httpx.Client(base_url=server_url.rstrip("/") + p.API_PREFIX, verify=False, transport=transport,
                          timeout=timeout, follow_redirects=False) as client:
            response = client.get("/tls")
            body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise PinError("network", f"{type(exc).__name__}: {exc}") from None
    pem = body.get("certificate") if isinstance(body, dict) else None
    if response.status_code != 200 or not isinstance(pem, str) or not pem_certificates(pem):
        raise PinError("not_our_server", f"HTTP {response.status_code} without a certificate")
    if not fingerprint_matches(pem, expected):
        raise PinError("certificate_mismatch", "the office's certificate is not the one in the QR code")
    return pem_certificates(pem)[0]
